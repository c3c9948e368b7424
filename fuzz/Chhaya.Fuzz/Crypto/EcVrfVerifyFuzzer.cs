// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;

namespace Chhaya.Fuzz.Crypto;

/// <summary>
/// ECVRF verification and proof-to-hash on arbitrary bytes: input = public key (32) ‖ proof (80) ‖ alpha.
/// Both must return false for anything malformed, never throw, and agree on β when the proof verifies.
/// </summary>
public sealed class EcVrfVerifyFuzzer : IFuzzer
{
    public string Name => "crypto-ecvrf-verify";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        var pk = input[..Math.Min(EcVrf.PublicKeyLength, input.Length)];
        var rest = input[pk.Length..];
        var proof = rest[..Math.Min(EcVrf.ProofLength, rest.Length)];
        var alpha = rest[proof.Length..];
        Span<byte> beta = stackalloc byte[EcVrf.OutputLength];
        Span<byte> beta2 = stackalloc byte[EcVrf.OutputLength];
        var verified = EcVrf.Verify(pk, alpha, proof, beta);
        var decoded = EcVrf.TryProofToHash(proof, beta2);
        if (verified && (!decoded || !beta.SequenceEqual(beta2)))
        {
            throw new InvalidOperationException("A verified proof must hash to the same beta through proof-to-hash.");
        }
    }
}
