// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Vkd.Verification;

/// <summary>A directory's VRF key (an RFC 8032 seed) proving leaf positions with Chhaya.Crypto's ECVRF.</summary>
public sealed class EcVrfProver : IVrfProver, IDisposable
{
    private readonly SecretBytes _secret;
    private readonly byte[] _publicKey;

    /// <summary>Takes a copy of the 32-byte secret key; the caller keeps and disposes its own.</summary>
    public EcVrfProver(SecretBytes secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        Guard.ExactLength(secretKey.Length, EcVrf.SecretKeyLength, nameof(secretKey));
        _secret = secretKey.Clone();
        _publicKey = EcVrf.PublicKey(_secret);
    }

    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public void Prove(ReadOnlySpan<byte> alpha, Span<byte> proof, Span<byte> output)
    {
        EcVrf.Prove(_secret, alpha, proof);
        if (!EcVrf.TryProofToHash(proof, output))
        {
            throw new InvalidOperationException("A freshly made VRF proof did not decode.");
        }
    }

    public void Dispose() => _secret.Dispose();
}
