// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// An unreduced double-width value (twelve 64-bit limbs, little-endian): a product of two Fp elements,
/// or a sum or difference of such products, waiting for one <see cref="Fp.MontgomeryReduce"/>. The
/// callers keep every value below p·2^384, the bound the reduction needs.
/// </summary>
internal readonly struct FpWide
{
    internal readonly ulong W0, W1, W2, W3, W4, W5, W6, W7, W8, W9, W10, W11;

    internal FpWide(ulong w0, ulong w1, ulong w2, ulong w3, ulong w4, ulong w5, ulong w6, ulong w7, ulong w8, ulong w9, ulong w10, ulong w11)
    {
        W0 = w0;
        W1 = w1;
        W2 = w2;
        W3 = w3;
        W4 = w4;
        W5 = w5;
        W6 = w6;
        W7 = w7;
        W8 = w8;
        W9 = w9;
        W10 = w10;
        W11 = w11;
    }

    /// <summary>a + b; the caller guarantees the sum stays below p·2^384.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FpWide Add(in FpWide a, in FpWide b)
    {
        ulong c = 0;
        return new FpWide(
            Fp.AddCarry(a.W0, b.W0, ref c),
            Fp.AddCarry(a.W1, b.W1, ref c),
            Fp.AddCarry(a.W2, b.W2, ref c),
            Fp.AddCarry(a.W3, b.W3, ref c),
            Fp.AddCarry(a.W4, b.W4, ref c),
            Fp.AddCarry(a.W5, b.W5, ref c),
            Fp.AddCarry(a.W6, b.W6, ref c),
            Fp.AddCarry(a.W7, b.W7, ref c),
            Fp.AddCarry(a.W8, b.W8, ref c),
            Fp.AddCarry(a.W9, b.W9, ref c),
            Fp.AddCarry(a.W10, b.W10, ref c),
            a.W11 + b.W11 + c);
    }

    /// <summary>
    /// a - b, plus p·2^384 when that would be negative (a masked addition, not a branch). For a, b below
    /// p·2^384 the result is congruent to a - b modulo p and also below p·2^384.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FpWide Sub(in FpWide a, in FpWide b)
    {
        ulong br = 0;
        var d0 = Fp.SubBorrow(a.W0, b.W0, ref br);
        var d1 = Fp.SubBorrow(a.W1, b.W1, ref br);
        var d2 = Fp.SubBorrow(a.W2, b.W2, ref br);
        var d3 = Fp.SubBorrow(a.W3, b.W3, ref br);
        var d4 = Fp.SubBorrow(a.W4, b.W4, ref br);
        var d5 = Fp.SubBorrow(a.W5, b.W5, ref br);
        var d6 = Fp.SubBorrow(a.W6, b.W6, ref br);
        var d7 = Fp.SubBorrow(a.W7, b.W7, ref br);
        var d8 = Fp.SubBorrow(a.W8, b.W8, ref br);
        var d9 = Fp.SubBorrow(a.W9, b.W9, ref br);
        var d10 = Fp.SubBorrow(a.W10, b.W10, ref br);
        var d11 = Fp.SubBorrow(a.W11, b.W11, ref br);
        var mask = 0UL - br;
        ulong c = 0;
        d6 = Fp.AddCarry(d6, Fp.P0 & mask, ref c);
        d7 = Fp.AddCarry(d7, Fp.P1 & mask, ref c);
        d8 = Fp.AddCarry(d8, Fp.P2 & mask, ref c);
        d9 = Fp.AddCarry(d9, Fp.P3 & mask, ref c);
        d10 = Fp.AddCarry(d10, Fp.P4 & mask, ref c);
        d11 = d11 + (Fp.P5 & mask) + c;
        return new FpWide(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11);
    }
}
