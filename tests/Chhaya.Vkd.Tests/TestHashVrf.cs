// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Tests;

/// <summary>
/// A fast stand-in for the VRF in property tests of the tree and proof logic: the "proof" is a keyed
/// hash that the verifier recomputes from the key (which it therefore must know). It is deterministic,
/// binds (alpha, proof, output) like a VRF, and rejects any changed proof byte, but it is NOT a VRF.
/// Real ECVRF runs in the AKD vector tests and <see cref="ProducerEcVrfTests"/>.
/// </summary>
internal sealed class TestHashVrf(byte[] key) : IVrfProver, IVrfVerifier
{
    public ReadOnlySpan<byte> PublicKey => key;

    public int ProofLength => 80;

    public int OutputLength => 64;

    public void Prove(ReadOnlySpan<byte> alpha, Span<byte> proof, Span<byte> output)
    {
        Make(key, alpha, proof);
        SHA512.HashData(proof, output);
    }

    public bool TryVerify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, ReadOnlySpan<byte> proof, Span<byte> output)
    {
        Span<byte> expected = stackalloc byte[80];
        Make(publicKey, alpha, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, proof))
        {
            return false;
        }

        SHA512.HashData(proof, output);
        return true;
    }

    private static void Make(ReadOnlySpan<byte> key, ReadOnlySpan<byte> alpha, Span<byte> proof)
    {
        var input = new byte[key.Length + alpha.Length];
        key.CopyTo(input);
        alpha.CopyTo(input.AsSpan(key.Length));
        SHA512.HashData(input, proof[..64]);
        SHA256.HashData(input).AsSpan(0, 16).CopyTo(proof[64..]);
    }
}
