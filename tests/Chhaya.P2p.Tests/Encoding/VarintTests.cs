// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.P2p.Tests.Encoding;

public class VarintTests
{
    // Examples from the multiformats unsigned-varint spec.
    [Theory]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(255UL, "ff01")]
    [InlineData(300UL, "ac02")]
    [InlineData(16384UL, "808001")]
    public void Spec_examples_encode_and_decode(ulong value, string hex)
    {
        var buffer = new byte[Varint.MaxLength];
        var n = Varint.Write(value, buffer);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer.AsSpan(0, n)));
        Assert.Equal(value, Varint.Read(Convert.FromHexString(hex), out var consumed));
        Assert.Equal(n, consumed);
    }

    [Theory]
    [InlineData("8000")] // non-minimal zero
    [InlineData("ff00")] // trailing zero byte
    [InlineData("80")] // truncated
    [InlineData("ffffffffffffffffff01")] // 10 bytes
    [InlineData("")]
    public void Rejects_non_minimal_truncated_and_overlong(string hex) =>
        Assert.Throws<MalformedInputException>(() => Varint.Read(Convert.FromHexString(hex), out _));

    [Fact]
    public void Round_trips_every_63_bit_value() =>
        Gen.ULong[0, long.MaxValue].Sample(v =>
        {
            var buffer = new byte[Varint.MaxLength];
            var n = Varint.Write(v, buffer);
            return Varint.Read(buffer.AsSpan(0, n), out var c) == v && c == n && n == Varint.SizeOf(v);
        });

    [Fact]
    public void Refuses_to_write_64_bit_values() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Varint.Write(ulong.MaxValue, new byte[10]));
}
