// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.Directory.Tests;

public class CoverEnvelopeTests
{
    [Fact]
    public void Real_and_cover_envelopes_share_bucket_sizes_and_round_trip()
    {
        Gen.Byte.Array[0, CoverEnvelope.MaxPayloadLength].Sample(payload =>
        {
            var real = CoverEnvelope.ForPayload(payload).Encode();
            Assert.Contains(real.Length, CoverEnvelope.Buckets);
            var back = CoverEnvelope.Decode(real);
            Assert.Equal(EnvelopeKind.Real, back.Kind);
            Assert.Equal(payload, back.Payload.ToArray());
            var cover = CoverEnvelope.ForCover(real.Length).Encode();
            Assert.Equal(real.Length, cover.Length);
            Assert.Equal(EnvelopeKind.Cover, CoverEnvelope.Decode(cover).Kind);
        }, iter: 200);
    }

    [Fact]
    public void Malformed_envelopes_are_refused()
    {
        var good = CoverEnvelope.ForPayload("hello"u8).Encode();
        Assert.Throws<MalformedInputException>(() => CoverEnvelope.Decode(good.AsSpan(0, good.Length - 1)));
        var padded = (byte[])good.Clone();
        padded[^1] = 1;
        Assert.Throws<MalformedInputException>(() => CoverEnvelope.Decode(padded));
        var version = (byte[])good.Clone();
        version[0] = 2;
        Assert.Throws<MalformedInputException>(() => CoverEnvelope.Decode(version));
        var kind = (byte[])good.Clone();
        kind[1] = 2;
        Assert.Throws<MalformedInputException>(() => CoverEnvelope.Decode(kind));
        var length = (byte[])good.Clone();
        length[2] = 0xFF;
        Assert.Throws<MalformedInputException>(() => CoverEnvelope.Decode(length));
        Assert.Throws<ArgumentException>(() => CoverEnvelope.ForPayload(new byte[CoverEnvelope.MaxPayloadLength + 1]));
    }

    [Fact]
    public void Random_bytes_only_ever_raise_the_documented_exception()
    {
        Gen.Select(Gen.Int[0, 3], Gen.Byte.Array[0, 64]).Sample(t =>
        {
            var data = new byte[CoverEnvelope.Buckets[t.Item1]];
            t.Item2.CopyTo(data, 0);
            try
            {
                CoverEnvelope.Decode(data);
            }
            catch (MalformedInputException)
            {
            }
        }, iter: 500);
    }
}
