// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Fp12 = Fp6[w] / (w^2 - v): the element c0 + c1·w. Pairing values live here (the target group GT is
/// the order-r subgroup of its multiplicative group).
/// </summary>
internal readonly partial struct Fp12
{
    internal readonly Fp6 C0;
    internal readonly Fp6 C1;

    internal Fp12(in Fp6 c0, in Fp6 c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public static Fp12 One { get; } = new(Fp6.One, Fp6.Zero);

    public bool IsOne => Equal(this, One);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Mul(in Fp12 a, in Fp12 b)
    {
        var t0 = a.C0 * b.C0;
        var t1 = a.C1 * b.C1;
        var c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1;
        return new Fp12(t0 + Fp6.MulByV(t1), c1);
    }

    /// <summary>Complex squaring: two Fp6 multiplications.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Square(in Fp12 a)
    {
        var ab = a.C0 * a.C1;
        var c0 = (a.C0 + a.C1) * (a.C0 + Fp6.MulByV(a.C1)) - ab - Fp6.MulByV(ab);
        return new Fp12(c0, ab + ab);
    }

    /// <summary>The p^6-power Frobenius map, i.e. conjugation; the inverse on the cyclotomic subgroup.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Conjugate(in Fp12 a) => new(a.C0, -a.C1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Invert(in Fp12 a)
    {
        var t = Fp6.Invert(Fp6.Square(a.C0) - Fp6.MulByV(Fp6.Square(a.C1)));
        return new Fp12(a.C0 * t, -(a.C1 * t));
    }

    /// <summary>As <see cref="Invert"/> with the variable-time Fp inversion underneath: public values only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 InvertVartime(in Fp12 a)
    {
        var t = Fp6.InvertVartime(Fp6.Square(a.C0) - Fp6.MulByV(Fp6.Square(a.C1)));
        return new Fp12(a.C0 * t, -(a.C1 * t));
    }

    /// <summary>The p-power Frobenius map.</summary>
    public static Fp12 Frobenius(in Fp12 a) =>
        new(Fp6.Frobenius(a.C0), Fp6.MulByFp2(Fp6.Frobenius(a.C1), FrobeniusConstants.W));

    /// <summary>
    /// Multiplies by a sparse line value c0 + c1·v + c4·v·w (the coefficients at positions 0, 1 and 4
    /// of the Fp2 basis), which is what a Miller-loop line evaluation produces on the M-type twist.
    /// Lazy reduction (<see cref="MulBy014Lazy"/>, generated): 14 Fp2 products, 12 reductions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp12 MulBy014(in Fp12 a, in Fp2 c0, in Fp2 c1, in Fp2 c4) => MulBy014Lazy(a, c0, c1, c4);

    /// <summary>The same product from reduced Fp6 operations: the reference the lazy form is tested against.</summary>
    internal static Fp12 MulBy014Reference(in Fp12 a, in Fp2 c0, in Fp2 c1, in Fp2 c4)
    {
        var aa = Fp6.MulBy01(a.C0, c0, c1);
        var bb = Fp6.MulBy1(a.C1, c4);
        var o = c1 + c4;
        var t = Fp6.MulBy01(a.C1 + a.C0, c0, o) - aa - bb;
        return new Fp12(Fp6.MulByV(bb) + aa, t);
    }

    /// <summary>
    /// Squaring in the cyclotomic subgroup (elements of norm 1 after the easy part of the final
    /// exponentiation): Granger and Scott, "Faster squaring in the cyclotomic subgroup of sixth degree
    /// extensions" (PKC 2010), viewing Fp12 as three Fp4 = Fp2[w^3] components. The squaring of the
    /// (g0, g1) component is done here; the other two are Karabina's compressed squaring
    /// (<see cref="CompressedFp12.Square"/>), which computes the same four coefficients.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 CyclotomicSquare(in Fp12 f)
    {
        Fp4.Square(f.C0.C0, f.C1.C1, out var a0, out var a1);
        var h = CompressedFp12.Square(CompressedFp12.Compress(f));
        return new Fp12(
            new Fp6(CompressedFp12.ThriceMinusTwice(a0, f.C0.C0), h.G4, h.G3),
            new Fp6(h.G2, CompressedFp12.ThricePlusTwice(a1, f.C1.C1), h.G5));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Equal(in Fp12 a, in Fp12 b) => Fp6.Equal(a.C0, b.C0) && Fp6.Equal(a.C1, b.C1);

    public static Fp12 operator *(in Fp12 a, in Fp12 b) => Mul(a, b);
}
