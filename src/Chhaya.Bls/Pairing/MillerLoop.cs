// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Pairing;

/// <summary>
/// The Miller loop of the optimal ate pairing on BLS12-381, run for several (P, Q) pairs at once so they
/// share the squarings of the accumulator.
/// </summary>
/// <remarks>
/// <para>The loop runs over the bits of |z| = 0xd201000000010000; because z is negative the result is
/// conjugated at the end (which equals inversion once the final exponentiation has run).</para>
/// <para>T walks over the twist E2' in Jacobian coordinates (x = X/Z^2, y = Y/Z^3), starting from the
/// affine Q. A line through points of the twist, evaluated at P = (xp, yp) after untwisting
/// (x, y) → (x/w^2, y/w^3) and clearing a factor in a subfield, is
/// (λ·x_T - y_T) + (-λ·xp)·v + yp·v·w, with λ the slope on the twist. It touches only positions
/// 0, 1 and 4 of the Fp12 basis, hence <see cref="Fp12.MulBy014"/>. Every line is scaled by an Fp2
/// factor so that no inversion is needed; such factors vanish in the final exponentiation.</para>
/// </remarks>
internal static class MillerLoop
{
    /// <summary>Runs the loop for the pairs (ps[i], qs[i]), both given in affine coordinates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Run(ReadOnlySpan<(Fp X, Fp Y)> ps, ReadOnlySpan<(Fp2 X, Fp2 Y)> qs)
    {
        var n = ps.Length;
        var tx = new Fp2[n];
        var ty = new Fp2[n];
        var tz = new Fp2[n];
        for (var i = 0; i < n; i++)
        {
            tx[i] = qs[i].X;
            ty[i] = qs[i].Y;
            tz[i] = Fp2.One;
        }

        var f = Fp12.One;
        // The top bit of |z| (bit 63) is the starting T = Q; walk the rest.
        for (var bit = 62; bit >= 0; bit--)
        {
            f = Fp12.Square(f);
            for (var i = 0; i < n; i++)
            {
                f = DoublingStep(ref tx[i], ref ty[i], ref tz[i], ps[i], f);
            }

            if (((G1.AbsZ >> bit) & 1) != 0)
            {
                for (var i = 0; i < n; i++)
                {
                    f = AdditionStep(ref tx[i], ref ty[i], ref tz[i], qs[i], ps[i], f);
                }
            }
        }

        return Fp12.Conjugate(f);
    }

    /// <summary>
    /// T ← 2T (dbl-2009-l for a = 0) and f ← f · ℓ_{T,T}(P). With λ = 3X^2 / (2YZ), the line scaled by
    /// 4YZ^3 is (6X^3 - 4Y^2) + (-6X^2 Z^2 · xp)·v + (4YZ^3 · yp)·v·w.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Fp12 DoublingStep(ref Fp2 x, ref Fp2 y, ref Fp2 z, in (Fp X, Fp Y) p, in Fp12 f)
    {
        var a = Fp2.Square(x);
        var b = Fp2.Square(y);
        var c = Fp2.Square(b);
        var zz = Fp2.Square(z);
        var d = Fp2.Double(Fp2.Square(x + b) - a - c);
        var e = Fp2.Double(a) + a;
        var ff = Fp2.Square(e);

        // Line coefficients from the old T.
        var ex = e * x;
        var l0 = Fp2.Double(ex) - Fp2.Double(Fp2.Double(b));
        var l1 = Fp2.MulByFp(Fp2.Neg(Fp2.Double(e * zz)), p.X);

        var z3 = Fp2.Double(y * z);
        var x3 = ff - Fp2.Double(d);
        var c8 = Fp2.Double(Fp2.Double(Fp2.Double(c)));
        var y3 = e * (d - x3) - c8;
        var l4 = Fp2.MulByFp(Fp2.Double(z3 * zz), p.Y);

        x = x3;
        y = y3;
        z = z3;
        return Fp12.MulBy014(f, l0, l1, l4);
    }

    /// <summary>
    /// T ← T + Q (madd-2007-bl, Q affine) and f ← f · ℓ_{T,Q}(P). With r = 2(S2 - Y1) and Z3 = 2·Z1·H,
    /// λ = r / Z3, and the line through Q scaled by Z3 is (r·xq - yq·Z3) + (-r·xp)·v + (Z3·yp)·v·w.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Fp12 AdditionStep(ref Fp2 x, ref Fp2 y, ref Fp2 z, in (Fp2 X, Fp2 Y) q, in (Fp X, Fp Y) p, in Fp12 f)
    {
        var z1z1 = Fp2.Square(z);
        var u2 = q.X * z1z1;
        var s2 = q.Y * z * z1z1;
        var h = u2 - x;
        var hh = Fp2.Square(h);
        var i = Fp2.Double(Fp2.Double(hh));
        var j = h * i;
        var r = Fp2.Double(s2 - y);
        var v = x * i;
        var x3 = Fp2.Square(r) - j - Fp2.Double(v);
        var y3 = r * (v - x3) - Fp2.Double(y * j);
        var z3 = Fp2.Square(z + h) - z1z1 - hh;

        var l0 = r * q.X - q.Y * z3;
        var l1 = Fp2.MulByFp(Fp2.Neg(r), p.X);
        var l4 = Fp2.MulByFp(z3, p.Y);

        x = x3;
        y = y3;
        z = z3;
        return Fp12.MulBy014(f, l0, l1, l4);
    }
}
