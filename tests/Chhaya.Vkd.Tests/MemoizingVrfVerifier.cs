// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Tests;

/// <summary>
/// Runs the real verifier once per distinct (key, alpha, proof) and remembers the answer, so tampering
/// tests that leave the VRF proofs alone do not pay for the same curve arithmetic thousands of times.
/// Every distinct input, including every tampered proof, still goes through the real verifier.
/// </summary>
internal sealed class MemoizingVrfVerifier(IVrfVerifier inner) : IVrfVerifier
{
    private readonly Dictionary<string, byte[]?> _cache = new(StringComparer.Ordinal);

    public int ProofLength => inner.ProofLength;

    public int OutputLength => inner.OutputLength;

    public int RealCalls { get; private set; }

    public bool TryVerify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, ReadOnlySpan<byte> proof, Span<byte> output)
    {
        var key = Convert.ToHexString(publicKey) + "/" + Convert.ToHexString(alpha) + "/" + Convert.ToHexString(proof);
        if (!_cache.TryGetValue(key, out var beta))
        {
            RealCalls++;
            var buffer = new byte[inner.OutputLength];
            beta = inner.TryVerify(publicKey, alpha, proof, buffer) ? buffer : null;
            _cache[key] = beta;
        }

        if (beta is null)
        {
            output.Clear();
            return false;
        }

        beta.CopyTo(output);
        return true;
    }
}
