// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;

namespace Chhaya.Fuzz.Bls;

/// <summary>
/// Signature (G2 point) decoding. <see cref="BlsSignature.TryDecode"/> must never throw; an accepted
/// compressed input must re-encode to itself.
/// </summary>
public sealed class BlsG2PointFuzzer : IFuzzer
{
    public string Name => "bls-g2-point";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        if (BlsSignature.TryDecode(input, out var signature) != PointDecodeStatus.Ok)
        {
            return;
        }

        if (input.Length == BlsSignature.Length && !input.SequenceEqual(signature!.Bytes))
        {
            throw new InvalidOperationException("A compressed signature did not re-encode to its own bytes.");
        }

        if (!BlsSignature.Decode(signature!.Bytes).Equals(signature))
        {
            throw new InvalidOperationException("A signature did not survive a round trip.");
        }
    }
}
