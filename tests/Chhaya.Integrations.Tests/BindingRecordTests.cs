// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.Integrations.Tests;

public sealed class BindingRecordTests
{
    [Fact]
    public void Bindings_round_trip_with_one_encoding()
    {
        var binding = ResolverHarness.NewBinding();
        var encoded = binding.Encode();
        var decoded = BindingRecord.Decode(encoded);

        Assert.True(decoded.SameIdentityAs(binding));
        Assert.Equal(binding.PeerId, decoded.PeerId);
        Assert.Equal(encoded, decoded.Encode());
        Assert.Equal(BindingRecord.Version, encoded[0]);
        Assert.Equal(32, binding.IdentityKey.Length);
    }

    [Fact]
    public void Malformed_bindings_are_refused()
    {
        var encoded = ResolverHarness.NewBinding().Encode();
        Assert.Throws<MalformedInputException>(() => BindingRecord.Decode(encoded.AsSpan(0, encoded.Length - 1)));
        Assert.Throws<MalformedInputException>(() => BindingRecord.Decode([.. encoded, 0]));
        var version = (byte[])encoded.Clone();
        version[0] = 2;
        Assert.Throws<MalformedInputException>(() => BindingRecord.Decode(version));
        var peer = (byte[])encoded.Clone();
        peer[^3] ^= 0xFF; // inside the peer id's multihash
        Assert.Throws<MalformedInputException>(() => BindingRecord.Decode(peer.AsSpan(0, 34)));
    }

    [Fact]
    public void Random_bytes_decode_or_fail_with_the_documented_exception() =>
        Gen.Byte.Array[0, 120].Sample(bytes =>
        {
            try
            {
                var binding = BindingRecord.Decode(bytes);
                Assert.Equal(bytes, binding.Encode());
            }
            catch (MalformedInputException)
            {
            }
        }, iter: 5000);
}
