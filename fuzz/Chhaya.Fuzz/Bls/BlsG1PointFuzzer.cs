// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;

namespace Chhaya.Fuzz.Bls;

/// <summary>
/// Public-key (G1 point) decoding. <see cref="BlsPublicKey.TryDecode"/> must never throw; an accepted
/// input must re-encode to itself (the encoding is canonical) and decode again to an equal key.
/// </summary>
public sealed class BlsG1PointFuzzer : IFuzzer
{
    public string Name => "bls-g1-point";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        if (BlsPublicKey.TryDecode(input, out var key) != PointDecodeStatus.Ok)
        {
            return;
        }

        if (input.Length == BlsPublicKey.Length && !input.SequenceEqual(key!.Bytes))
        {
            throw new InvalidOperationException("A compressed public key did not re-encode to its own bytes.");
        }

        if (!BlsPublicKey.Decode(key!.Bytes).Equals(key))
        {
            throw new InvalidOperationException("A public key did not survive a round trip.");
        }
    }
}
