// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Fp2 = Fp[u] / (u^2 + 1): the element c0 + c1·u. The coordinate field of G2.
/// </summary>
internal readonly struct Fp2 : IField<Fp2>
{
    internal readonly Fp C0;
    internal readonly Fp C1;

    internal Fp2(in Fp c0, in Fp c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public static Fp2 Zero => default;

    public static Fp2 One { get; } = new(Fp.One, Fp.Zero);

    /// <summary>1/2 in Fp.</summary>
    private static readonly Fp Half = Fp.Invert(Fp.FromUInt64(2));

    public bool IsZero => C0.IsZero && C1.IsZero;

    public ulong IsZeroMask => C0.IsZeroMask & C1.IsZeroMask;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Add(in Fp2 a, in Fp2 b) => new(Fp.Add(a.C0, b.C0), Fp.Add(a.C1, b.C1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Sub(in Fp2 a, in Fp2 b) => new(Fp.Sub(a.C0, b.C0), Fp.Sub(a.C1, b.C1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Double(in Fp2 a) => new(Fp.Double(a.C0), Fp.Double(a.C1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Neg(in Fp2 a) => new(Fp.Neg(a.C0), Fp.Neg(a.C1));

    /// <summary>
    /// Karatsuba with lazy reduction: three double-width products and two Montgomery reductions instead
    /// of three full multiplications. v0 − v1 + p² is positive and below 2p²; s − v0 − v1 = a0·b1 + a1·b0
    /// is never negative and below 2p². The operand sums are left unreduced (below 2p), so s &lt; 4p².
    /// Both reduction inputs are below p·2^385, as <see cref="Fp.MontgomeryReduce"/> requires.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Mul(in Fp2 a, in Fp2 b)
    {
        MulWide(a, b, out var re, out var im);
        return new Fp2(Fp.MontgomeryReduce(re), Fp.MontgomeryReduce(im));
    }

    /// <summary>
    /// a·b + c·d with two reductions instead of four: each product is kept double-width (coordinates below
    /// 2p^2, as in <see cref="Mul"/>), the coordinates are added (below 4p^2) and reduced once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 MulAddMul(in Fp2 a, in Fp2 b, in Fp2 c, in Fp2 d)
    {
        MulWide(a, b, out var abRe, out var abIm);
        MulWide(c, d, out var cdRe, out var cdIm);
        return new Fp2(Fp.MontgomeryReduce(FpWide.Add2(abRe, cdRe)), Fp.MontgomeryReduce(FpWide.Add2(abIm, cdIm)));
    }

    /// <summary>a·b − c·d with two reductions instead of four: coordinate differences plus 2p^2 (positive, below 4p^2), reduced once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 MulSubMul(in Fp2 a, in Fp2 b, in Fp2 c, in Fp2 d)
    {
        MulWide(a, b, out var abRe, out var abIm);
        MulWide(c, d, out var cdRe, out var cdIm);
        return new Fp2(Fp.MontgomeryReduce(FpWide.SubAdd2P2(abRe, cdRe)), Fp.MontgomeryReduce(FpWide.SubAdd2P2(abIm, cdIm)));
    }

    /// <summary>The unreduced coordinates of a·b for reduced a, b, both in [0, 2p^2): the products of <see cref="Mul"/> before its reductions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulWide(in Fp2 a, in Fp2 b, out FpWide re, out FpWide im)
    {
        var v0 = Fp.MulWide(a.C0, b.C0);
        var v1 = Fp.MulWide(a.C1, b.C1);
        var s = Fp.MulWide(Fp.AddUnreduced(a.C0, a.C1), Fp.AddUnreduced(b.C0, b.C1));
        re = FpWide.SubAddP2(v0, v1);
        im = FpWide.SubSub(s, v0, v1);
    }

    /// <summary>Karatsuba on full products and reduced sums: the reference the lazy <see cref="Mul"/> is tested against.</summary>
    internal static Fp2 MulReference(in Fp2 a, in Fp2 b)
    {
        var v0 = Fp.Mul(a.C0, b.C0);
        var v1 = Fp.Mul(a.C1, b.C1);
        var s = Fp.Mul(Fp.Add(a.C0, a.C1), Fp.Add(b.C0, b.C1));
        return new Fp2(Fp.Sub(v0, v1), Fp.Sub(Fp.Sub(s, v0), v1));
    }

    /// <summary>
    /// (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u: two multiplications. The sums a0 + a1 and 2·a0
    /// are left unreduced (below 2p), which <see cref="Fp.Mul"/> accepts, saving two reductions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Square(in Fp2 a)
    {
        var c0 = Fp.Mul(Fp.AddUnreduced(a.C0, a.C1), Fp.Sub(a.C0, a.C1));
        var c1 = Fp.Mul(Fp.AddUnreduced(a.C0, a.C0), a.C1);
        return new Fp2(c0, c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 MulByFp(in Fp2 a, in Fp b) => new(Fp.Mul(a.C0, b), Fp.Mul(a.C1, b));

    /// <summary>Multiplies by the non-residue ξ = 1 + u that defines Fp6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 MulByNonResidue(in Fp2 a) => new(Fp.Sub(a.C0, a.C1), Fp.Add(a.C0, a.C1));

    /// <summary>The p-power Frobenius map, which for Fp2 is conjugation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Conjugate(in Fp2 a) => new(a.C0, Fp.Neg(a.C1));

    /// <summary>1 / (a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2); 0 maps to 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 Invert(in Fp2 a)
    {
        var t = Fp.Invert(Fp.Add(Fp.Square(a.C0), Fp.Square(a.C1)));
        return new Fp2(Fp.Mul(a.C0, t), Fp.Neg(Fp.Mul(a.C1, t)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Equal(in Fp2 a, in Fp2 b) => EqualMask(a, b) != 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong EqualMask(in Fp2 a, in Fp2 b) => Fp.EqualMask(a.C0, b.C0) & Fp.EqualMask(a.C1, b.C1);

    public static Fp2 Select(ulong mask, in Fp2 whenOnes, in Fp2 whenZero) =>
        new(Fp.Select(mask, whenOnes.C0, whenZero.C0), Fp.Select(mask, whenOnes.C1, whenZero.C1));

    /// <summary>a^e for a public exponent given as little-endian limbs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 PowVartime(in Fp2 a, ReadOnlySpan<ulong> exponent)
    {
        var result = One;
        for (var i = exponent.Length - 1; i >= 0; i--)
        {
            for (var bit = 63; bit >= 0; bit--)
            {
                result = Square(result);
                if (((exponent[i] >> bit) & 1) != 0)
                {
                    result = Mul(result, a);
                }
            }
        }

        return result;
    }

    /// <summary>True for 0 and non-zero squares: a is a square in Fp2 exactly when its norm is a square in Fp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsSquare(in Fp2 a) => Fp.IsSquare(Norm(a));

    /// <summary>The norm a0^2 + a1^2 (in Fp) of a0 + a1·u.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp Norm(in Fp2 a) => Fp.Add(Fp.Square(a.C0), Fp.Square(a.C1));

    /// <summary>1 / a by the norm and <see cref="Fp.InvertVartime"/>; 0 maps to 0. Public values only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp2 InvertVartime(in Fp2 a)
    {
        var t = Fp.InvertVartime(Norm(a));
        return new Fp2(Fp.Mul(a.C0, t), Fp.Neg(Fp.Mul(a.C1, t)));
    }

    /// <summary>
    /// Replaces every element by its inverse, zeros staying zero: the norms are inverted together by
    /// <see cref="Fp.InvertVartimeBatch"/> (one Fp inversion per <see cref="Fp.BatchChunk"/> elements), then
    /// 1/a = conj(a)/N(a). The norm of a non-zero element is non-zero (−1 is not a square in Fp), so a zero
    /// never spoils the others. Variable time: public values only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void InvertVartimeBatch(Span<Fp2> values)
    {
        Span<Fp> norms = stackalloc Fp[Fp.BatchChunk];
        for (var start = 0; start < values.Length; start += Fp.BatchChunk)
        {
            var chunk = values[start..Math.Min(values.Length, start + Fp.BatchChunk)];
            var n = norms[..chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                n[i] = Norm(chunk[i]);
            }

            Fp.InvertVartimeBatch(n);
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = new Fp2(Fp.Mul(chunk[i].C0, n[i]), Fp.Neg(Fp.Mul(chunk[i].C1, n[i])));
            }
        }
    }

    /// <summary>
    /// Square root by the "complex method" for p ≡ 3 (mod 4) (Scott, "Implementing cryptographic
    /// pairings", 2007, section 6.3): with n = sqrt(a0^2 + a1^2) in Fp, x0 = sqrt((a0 ± n) / 2) and
    /// x1 = a1 / (2·x0). Two Fp exponentiations for a square, one for a non-square (its norm is not a
    /// square); see <see cref="TrySqrtWithNormRoot"/>. The result is squared back before it is returned.
    /// Variable time (the path depends on whether a is a square): public values only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TrySqrt(in Fp2 a, out Fp2 root)
    {
        if (a.C1.IsZero)
        {
            // a = a0 in Fp: either a0 or -a0 is a square, since -1 is not one. With s = a0^((p-3)/4),
            // (a0·s)^2 is a0 in the first case and -a0 in the second.
            var s = Fp.PowPMinus3Over4(a.C0);
            var r = Fp.Mul(a.C0, s);
            root = Fp.Equal(Fp.Square(r), a.C0) ? new Fp2(r, Fp.Zero) : new Fp2(Fp.Zero, r);
            return Equal(Square(root), a);
        }

        var norm = Norm(a);
        var n = Fp.Mul(norm, Fp.PowPMinus3Over4(norm));
        if (!Fp.Equal(Fp.Square(n), norm))
        {
            root = default;
            return false;
        }

        return TrySqrtWithNormRoot(a, n, out root);
    }

    /// <summary>
    /// The root of a (with a1 ≠ 0) given n, a square root of its norm, with one Fp exponentiation and
    /// no inversion. Let c = (a0 + n)/2 and s = c^((p-3)/4). If c is a square, x0 = c·s = sqrt(c) and
    /// x1 = a1/(2·x0) = a1·s/2 (since s = 1/sqrt(c)). If not, c' = (a0 - n)/2 = -a1^2/(4c) is the square
    /// one, (c·s)^2 = -c, and working the same identities through gives x0 = -a1·s/2, x1 = c·s.
    /// c is never 0 here: a0 + n = 0 would force a1 = 0. False when the squared check fails (a is not
    /// a square or n is not a root of its norm).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TrySqrtWithNormRoot(in Fp2 a, in Fp n, out Fp2 root)
    {
        var c = Fp.Mul(Fp.Add(a.C0, n), Half);
        var s = Fp.PowPMinus3Over4(c);
        var cs = Fp.Mul(c, s);
        var halfA1S = Fp.Mul(Fp.Mul(a.C1, s), Half);
        root = Fp.Equal(Fp.Mul(cs, s), Fp.One) ? new Fp2(cs, halfA1S) : new Fp2(Fp.Neg(halfA1S), cs);
        return Equal(Square(root), a);
    }

    /// <summary>sgn0 of RFC 9380 section 4.1 for m = 2.</summary>
    public ulong Sgn0
    {
        get
        {
            var sign0 = C0.Sgn0;
            var zero0 = C0.IsZero ? 1UL : 0UL;
            return sign0 | (zero0 & C1.Sgn0);
        }
    }

    /// <summary>The ZCash sign rule: compare c1 first, and c0 only when c1 is zero.</summary>
    public bool IsLexicographicallyLargest => C1.IsLexicographicallyLargest || (C1.IsZero && C0.IsLexicographicallyLargest);

    public static Fp2 operator +(in Fp2 a, in Fp2 b) => Add(a, b);

    public static Fp2 operator -(in Fp2 a, in Fp2 b) => Sub(a, b);

    public static Fp2 operator -(in Fp2 a) => Neg(a);

    public static Fp2 operator *(in Fp2 a, in Fp2 b) => Mul(a, b);

    public override string ToString() => $"{C0},{C1}";

    /// <summary>Builds a constant from two big-endian hex strings (c0, c1). For fixed constants only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Fp2 FromHex(string c0, string c1) => new(FpHex.Parse(c0), FpHex.Parse(c1));
}
