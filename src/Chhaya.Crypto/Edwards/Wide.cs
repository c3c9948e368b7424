// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// Carry and borrow of 64-bit additions and subtractions, and a 64×64→128 multiply-add, written with the
/// branch-free formulas of Hacker's Delight §2-16 so that no comparison on secret data can become a
/// conditional branch (a plain <c>lo &lt; x ? 1 : 0</c>, as <see cref="UInt128"/> uses, usually compiles to
/// <c>setb</c>, but nothing promises it).
/// </summary>
internal static class Wide
{
    /// <summary>The carry out of <c>x + y = sum</c> (mod 2^64): 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CarryOut(ulong x, ulong y, ulong sum) => ((x & y) | ((x | y) & ~sum)) >> 63;

    /// <summary>The borrow out of <c>x − y = difference</c> (mod 2^64): 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BorrowOut(ulong x, ulong y, ulong difference) => ((~x & y) | (~(x ^ y) & difference)) >> 63;

    /// <summary>(a·b + c + d) as (carry word, low word); never overflows 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong High, ulong Low) MulAddAdd(ulong a, ulong b, ulong c, ulong d)
    {
        var h = Math.BigMul(a, b, out var l);
        var s1 = l + c;
        var s2 = s1 + d;
        return (h + CarryOut(l, c, s1) + CarryOut(s1, d, s2), s2);
    }
}
