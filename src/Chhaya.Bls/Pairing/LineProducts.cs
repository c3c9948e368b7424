// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Pairing;

/// <summary>
/// A Miller-loop line value c0 + c1·v + c4·v·w: only positions 0, 1 and 4 of the Fp12 basis
/// (c0, c1, c2 of Fp6 for w^0, then the same for w^1) are non-zero.
/// </summary>
internal readonly struct Line(in Fp2 c0, in Fp2 c1, in Fp2 c4)
{
    public readonly Fp2 C0 = c0;
    public readonly Fp2 C1 = c1;
    public readonly Fp2 C4 = c4;

    /// <summary>The line as a full Fp12 value (what the accumulator becomes when it was still 1).</summary>
    public Fp12 ToFp12() => new(new Fp6(C0, C1, Fp2.Zero), new Fp6(Fp2.Zero, C4, Fp2.Zero));
}

/// <summary>
/// Folding two lines into the Miller accumulator at once. Two sparse multiplications by lines cost 26
/// Fp2 multiplications; multiplying the two lines together first (6) and the accumulator by their
/// product, which has a zero at position 3 (17), costs 23 and about half the Fp6-level additions.
/// Multi-pairings (verification always has at least two pairs) pair their lines up this way.
/// </summary>
internal static class LineProducts
{
    /// <summary>
    /// (a0 + a1·v + a4·vw)(b0 + b1·v + b4·vw) with Karatsuba on the three coefficients:
    /// w^0 part (a0b0 + ξ·a4b4) + (a0b1 + a1b0)·v + a1b1·v^2, w^1 part (a0b4 + a4b0)·v + (a1b4 + a4b1)·v^2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Mul(in Line a, in Line b)
    {
        var t0 = a.C0 * b.C0;
        var t1 = a.C1 * b.C1;
        var t4 = a.C4 * b.C4;
        var c01 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1;
        var c04 = (a.C0 + a.C4) * (b.C0 + b.C4) - t0 - t4;
        var c14 = (a.C1 + a.C4) * (b.C1 + b.C4) - t1 - t4;
        return new Fp12(new Fp6(t0 + Fp2.MulByNonResidue(t4), c01, t1), new Fp6(Fp2.Zero, c04, c14));
    }

    /// <summary>
    /// f · m where m is a product of two lines (its position 3, m.C1.C0, is zero): Karatsuba over w with
    /// the w^1 product taken by <see cref="MulBy12"/>, 17 Fp2 multiplications instead of 18.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 MulByLineProduct(in Fp12 f, in Fp12 m)
    {
        var t0 = f.C0 * m.C0;
        var t1 = MulBy12(f.C1, m.C1.C1, m.C1.C2);
        var sum = new Fp6(m.C0.C0, m.C0.C1 + m.C1.C1, m.C0.C2 + m.C1.C2);
        var c1 = (f.C0 + f.C1) * sum - t0 - t1;
        return new Fp12(t0 + Fp6.MulByV(t1), c1);
    }

    /// <summary>
    /// a · (x·v + y·v^2) in Fp6 = Fp2[v]/(v^3 − ξ): (ξ(a1·y + a2·x), a0·x + ξ·a2·y, a0·y + a1·x), five Fp2
    /// multiplications with a1·y + a2·x = (a1 + a2)(x + y) − a1·x − a2·y.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 MulBy12(in Fp6 a, in Fp2 x, in Fp2 y)
    {
        var t1 = a.C1 * x;
        var t2 = a.C2 * y;
        var cross = (a.C1 + a.C2) * (x + y) - t1 - t2;
        return new Fp6(Fp2.MulByNonResidue(cross), (a.C0 * x) + Fp2.MulByNonResidue(t2), (a.C0 * y) + t1);
    }
}
