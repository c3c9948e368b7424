// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// 64-bit add/subtract with carry and 64×64→128 multiply-accumulate, written with the branch-free carry
/// formulas of Hacker's Delight §2-16 so that no comparison on secret data can become a conditional branch
/// (a plain <c>lo &lt; x ? 1 : 0</c>, as <see cref="UInt128"/> uses, usually compiles to <c>setb</c> but
/// nothing promises it).
/// </summary>
internal static class Wide
{
    /// <summary>The carry out of <c>x + y = sum</c> (mod 2^64): 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CarryOut(ulong x, ulong y, ulong sum) => ((x & y) | ((x | y) & ~sum)) >> 63;

    /// <summary>The borrow out of <c>x − y = difference</c> (mod 2^64): 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BorrowOut(ulong x, ulong y, ulong difference) => ((~x & y) | (~(x ^ y) & difference)) >> 63;

    /// <summary>(hi:lo) + a·b. The caller guarantees the 128-bit sum does not overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong High, ulong Low) MulAcc(ulong hi, ulong lo, ulong a, ulong b)
    {
        var h = Math.BigMul(a, b, out var l);
        var s = lo + l;
        return (hi + h + CarryOut(lo, l, s), s);
    }

    /// <summary>(hi:lo) + x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong High, ulong Low) Add(ulong hi, ulong lo, ulong x)
    {
        var s = lo + x;
        return (hi + CarryOut(lo, x, s), s);
    }

    /// <summary>(a·b + c + d) as (carry word, low word); never overflows 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong High, ulong Low) MulAddAdd(ulong a, ulong b, ulong c, ulong d)
    {
        var h = Math.BigMul(a, b, out var l);
        var s1 = l + c;
        var s2 = s1 + d;
        return (h + CarryOut(l, c, s1) + CarryOut(s1, d, s2), s2);
    }

    /// <summary>(hi:lo) >> 51 as a 64-bit value (the caller guarantees it fits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Shift51(ulong hi, ulong lo) => (lo >> 51) | (hi << 13);
}
