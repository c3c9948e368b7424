// SPDX-License-Identifier: AGPL-3.0-or-later
using CsCheck;

namespace Chhaya.Safety.Tests;

public class ConstantTimeTests
{
    [Fact]
    public void Equals_matches_sequence_equality() =>
        Gen.Byte.Array[0, 40].Select(Gen.Byte.Array[0, 40]).Sample((a, b) =>
            ConstantTime.Equals(a, b) == a.AsSpan().SequenceEqual(b)
            && ConstantTime.Equals(a, (byte[])a.Clone()));

    [Fact]
    public void Masks_are_all_ones_or_zero() =>
        Gen.ULong.Select(Gen.ULong).Sample((a, b) =>
            ConstantTime.EqualMask(a, b) == (a == b ? ulong.MaxValue : 0UL)
            && ConstantTime.IsZeroMask(a) == (a == 0 ? ulong.MaxValue : 0UL)
            && ConstantTime.MaskFromBit(a) == ((a & 1) == 1 ? ulong.MaxValue : 0UL));

    [Fact]
    public void Select_and_moves_follow_the_mask() =>
        Gen.ULong.Array[1, 8].Select(Gen.Bool).Sample((values, take) =>
        {
            var mask = take ? ulong.MaxValue : 0UL;
            var other = values.Select(v => ~v).ToArray();
            var destination = (ulong[])other.Clone();
            ConstantTime.ConditionalMove(mask, values, destination);
            var a = (ulong[])values.Clone();
            var b = (ulong[])other.Clone();
            ConstantTime.ConditionalSwap(mask, a, b);
            return destination.SequenceEqual(take ? values : other)
                && a.SequenceEqual(take ? other : values)
                && ConstantTime.Select(mask, 1, 2) == (take ? 1UL : 2UL);
        });

    [Fact]
    public void Guard_reports_what_was_expected()
    {
        var e = Assert.Throws<ArgumentException>(() => Guard.ExactLength(3, 32, "key"));
        Assert.Contains("exactly 32 bytes", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Guard.MaxLength(-1, 10, "frame"));
        Guard.MaxLength(10, 10, "frame");
    }
}
