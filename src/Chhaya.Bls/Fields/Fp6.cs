// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Fp6 = Fp2[v] / (v^3 - ξ) with ξ = 1 + u: the element c0 + c1·v + c2·v^2.
/// </summary>
/// <remarks>
/// Multiplication and squaring follow Devegili, Ó hÉigeartaigh, Scott and Dahab, "Multiplication and
/// squaring on pairing-friendly fields" (2006): Karatsuba for multiplication, CH-SQR2 for squaring.
/// </remarks>
internal readonly partial struct Fp6
{
    internal readonly Fp2 C0;
    internal readonly Fp2 C1;
    internal readonly Fp2 C2;

    internal Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    public static Fp6 Zero => default;

    public static Fp6 One { get; } = new(Fp2.One, Fp2.Zero, Fp2.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Add(in Fp6 a, in Fp6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Sub(in Fp6 a, in Fp6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Neg(in Fp6 a) => new(-a.C0, -a.C1, -a.C2);

    /// <summary>a·b with lazy reduction (<see cref="MulLazy"/>, generated); <see cref="MulReference"/> is the plain form it is tested against.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Mul(in Fp6 a, in Fp6 b) => MulLazy(a, b);

    /// <summary>Karatsuba over reduced Fp2 products: the reference for <see cref="MulLazy"/>.</summary>
    internal static Fp6 MulReference(in Fp6 a, in Fp6 b)
    {
        var t0 = a.C0 * b.C0;
        var t1 = a.C1 * b.C1;
        var t2 = a.C2 * b.C2;
        var c0 = Fp2.MulByNonResidue((a.C1 + a.C2) * (b.C1 + b.C2) - t1 - t2) + t0;
        var c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1 + Fp2.MulByNonResidue(t2);
        var c2 = (a.C0 + a.C2) * (b.C0 + b.C2) - t0 - t2 + t1;
        return new Fp6(c0, c1, c2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Square(in Fp6 a)
    {
        var s0 = Fp2.Square(a.C0);
        var s1 = Fp2.Double(a.C0 * a.C1);
        var s2 = Fp2.Square(a.C0 - a.C1 + a.C2);
        var s3 = Fp2.Double(a.C1 * a.C2);
        var s4 = Fp2.Square(a.C2);
        return new Fp6(
            Fp2.MulByNonResidue(s3) + s0,
            Fp2.MulByNonResidue(s4) + s1,
            s1 + s2 + s3 - s0 - s4);
    }

    /// <summary>Multiplies by v (the non-residue that defines Fp12): (c0, c1, c2) → (ξ·c2, c0, c1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 MulByV(in Fp6 a) => new(Fp2.MulByNonResidue(a.C2), a.C0, a.C1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 MulByFp2(in Fp6 a, in Fp2 b) => new(a.C0 * b, a.C1 * b, a.C2 * b);

    /// <summary>Multiplies by the sparse element b0 + b1·v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 MulBy01(in Fp6 a, in Fp2 b0, in Fp2 b1)
    {
        var t0 = a.C0 * b0;
        var t1 = a.C1 * b1;
        var c0 = Fp2.MulByNonResidue(a.C2 * b1) + t0;
        var c1 = (b0 + b1) * (a.C0 + a.C1) - t0 - t1;
        var c2 = a.C2 * b0 + t1;
        return new Fp6(c0, c1, c2);
    }

    /// <summary>Multiplies by the sparse element b1·v.</summary>
    public static Fp6 MulBy1(in Fp6 a, in Fp2 b1) =>
        new(Fp2.MulByNonResidue(a.C2 * b1), a.C0 * b1, a.C1 * b1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 Invert(in Fp6 a) => Invert(a, vartime: false);

    /// <summary>As <see cref="Invert(in Fp6)"/> with the variable-time Fp inversion underneath: public values only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp6 InvertVartime(in Fp6 a) => Invert(a, vartime: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Fp6 Invert(in Fp6 a, bool vartime)
    {
        var c0 = Fp2.Square(a.C0) - Fp2.MulByNonResidue(a.C1 * a.C2);
        var c1 = Fp2.MulByNonResidue(Fp2.Square(a.C2)) - a.C0 * a.C1;
        var c2 = Fp2.Square(a.C1) - a.C0 * a.C2;
        var t = a.C0 * c0 + Fp2.MulByNonResidue(a.C2 * c1 + a.C1 * c2);
        var inv = vartime ? Fp2.InvertVartime(t) : Fp2.Invert(t);
        return new Fp6(c0 * inv, c1 * inv, c2 * inv);
    }

    /// <summary>The p-power Frobenius map: conjugate each coefficient and twist by ξ^((p-1)/3) powers.</summary>
    public static Fp6 Frobenius(in Fp6 a) => new(
        Fp2.Conjugate(a.C0),
        Fp2.Conjugate(a.C1) * FrobeniusConstants.V1,
        Fp2.Conjugate(a.C2) * FrobeniusConstants.V2);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Equal(in Fp6 a, in Fp6 b) => Fp2.Equal(a.C0, b.C0) && Fp2.Equal(a.C1, b.C1) && Fp2.Equal(a.C2, b.C2);

    public static Fp6 operator +(in Fp6 a, in Fp6 b) => Add(a, b);

    public static Fp6 operator -(in Fp6 a, in Fp6 b) => Sub(a, b);

    public static Fp6 operator -(in Fp6 a) => Neg(a);

    public static Fp6 operator *(in Fp6 a, in Fp6 b) => Mul(a, b);
}
