// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Chhaya.Safety;

/// <summary>
/// Comparisons and selections whose timing does not depend on secret values.
/// </summary>
/// <remarks>
/// Selection helpers work on masks (all ones or all zeros) rather than branches. They are marked
/// <see cref="MethodImplOptions.NoOptimization"/> so the JIT does not turn the mask arithmetic back into
/// a conditional branch or move.
/// </remarks>
public static class ConstantTime
{
    /// <summary>
    /// True when the two spans hold the same bytes. The time taken depends on the lengths only,
    /// never on where the first difference is. Spans of different length are unequal.
    /// </summary>
    public static bool Equals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        CryptographicOperations.FixedTimeEquals(left, right);

    /// <summary>All ones when <paramref name="bit"/> is 1, zero when it is 0. Other inputs are a caller error.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static ulong MaskFromBit(ulong bit) => 0UL - (bit & 1UL);

    /// <summary>All ones when <paramref name="value"/> is zero, else zero.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static ulong IsZeroMask(ulong value) => 0UL - (((value | (0UL - value)) >> 63) ^ 1UL);

    /// <summary>All ones when <paramref name="a"/> equals <paramref name="b"/>, else zero.</summary>
    public static ulong EqualMask(ulong a, ulong b) => IsZeroMask(a ^ b);

    /// <summary>Returns <paramref name="whenOnes"/> when <paramref name="mask"/> is all ones, <paramref name="whenZero"/> when it is zero.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static ulong Select(ulong mask, ulong whenOnes, ulong whenZero) => whenZero ^ (mask & (whenOnes ^ whenZero));

    /// <summary>Overwrites <paramref name="destination"/> with <paramref name="source"/> when <paramref name="mask"/> is all ones.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static void ConditionalMove(ulong mask, ReadOnlySpan<ulong> source, Span<ulong> destination)
    {
        Guard.SameLength(source.Length, destination.Length, nameof(destination));
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] ^= mask & (destination[i] ^ source[i]);
        }
    }

    /// <summary>Swaps <paramref name="a"/> and <paramref name="b"/> when <paramref name="mask"/> is all ones.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static void ConditionalSwap(ulong mask, Span<ulong> a, Span<ulong> b)
    {
        Guard.SameLength(a.Length, b.Length, nameof(b));
        for (var i = 0; i < a.Length; i++)
        {
            var t = mask & (a[i] ^ b[i]);
            a[i] ^= t;
            b[i] ^= t;
        }
    }
}
