// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Squaring in Fp4 = Fp2[s] / (s^2 - ξ), the building block of squaring in the cyclotomic subgroup of
/// Fp12 (Granger–Scott and Karabina): Fp12 = Fp4[w] / (w^3 - s) with s = w^3.
/// </summary>
internal static class Fp4
{
    /// <summary>
    /// (a + b·s)^2 = (a^2 + ξ·b^2) + 2ab·s with lazy reduction: six double-width products and four
    /// Montgomery reductions (instead of six full multiplications, i.e. six reductions).
    /// </summary>
    /// <remarks>
    /// <para>With A = a0 + a1 and d_a = (a0 − a1) mod p (likewise B, d_b for b), the products are
    /// A·d_a ≡ a0^2 − a1^2, 2a0·a1, B·d_b ≡ b0^2 − b1^2 and 2b0·b1, each below 2p^2 (one factor below
    /// 2p, left unreduced, the other below p). ξ·b^2 = (b0^2 − b1^2 − 2b0b1) + (b0^2 − b1^2 + 2b0b1)·u, so
    /// c0 = (A·d_a + B·d_b − 2b0b1 + 2p^2, 2a0a1 + B·d_b + 2b0b1), both in (0, 6p^2).</para>
    /// <para>2ab = (a + b)^2 − a^2 − b^2 is taken with the same integer factors, so the differences are
    /// exact: (A + B)(d_a + d_b) − A·d_a − B·d_b = A·d_b + B·d_a and (2a0 + 2b0)(a1 + b1) − 2a0a1 − 2b0b1 =
    /// 2(a0b1 + b0a1), non-negative integers below 4p^2 (the factors A + B and 2a0 + 2b0 are below 4p,
    /// which <see cref="Fp.MulWide"/> accepts). Every reduction input is below 6p^2, well inside the
    /// p·2^385 (about 19.6p^2) that <see cref="Fp.MontgomeryReduce"/> accepts.</para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Square(in Fp2 a, in Fp2 b, out Fp2 c0, out Fp2 c1)
    {
        var aSum = Fp.AddUnreduced(a.C0, a.C1);
        var bSum = Fp.AddUnreduced(b.C0, b.C1);
        var aDiff = Fp.Sub(a.C0, a.C1);
        var bDiff = Fp.Sub(b.C0, b.C1);
        var a0Twice = Fp.AddUnreduced(a.C0, a.C0);
        var b0Twice = Fp.AddUnreduced(b.C0, b.C0);

        var aRe = Fp.MulWide(aSum, aDiff);
        var aIm = Fp.MulWide(a0Twice, a.C1);
        var bRe = Fp.MulWide(bSum, bDiff);
        var bIm = Fp.MulWide(b0Twice, b.C1);
        var abRe = Fp.MulWide(Fp.AddUnreduced(aSum, bSum), Fp.AddUnreduced(aDiff, bDiff));
        var abIm = Fp.MulWide(Fp.AddUnreduced(a0Twice, b0Twice), Fp.AddUnreduced(a.C1, b.C1));

        c0 = new Fp2(
            Fp.MontgomeryReduce(FpWide.AddSubAdd2P2(aRe, bRe, bIm)),
            Fp.MontgomeryReduce(FpWide.Add3(aIm, bRe, bIm)));
        c1 = new Fp2(
            Fp.MontgomeryReduce(FpWide.SubSub(abRe, aRe, bRe)),
            Fp.MontgomeryReduce(FpWide.SubSub(abIm, aIm, bIm)));
    }

    /// <summary>The same square from reduced Fp2 operations: the reference <see cref="Square"/> is tested against.</summary>
    internal static void SquareReference(in Fp2 a, in Fp2 b, out Fp2 c0, out Fp2 c1)
    {
        var t0 = Fp2.Square(a);
        var t1 = Fp2.Square(b);
        c0 = Fp2.MulByNonResidue(t1) + t0;
        c1 = Fp2.Square(a + b) - t0 - t1;
    }
}
