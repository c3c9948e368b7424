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
/// <para>T walks over the twist E2': y^2 = x^3 + b' (b' = 4ξ) in homogeneous projective coordinates
/// (x = X/Z, y = Y/Z), starting from the affine Q, with the doubling and mixed-addition formulas of
/// Costello, Lange and Naehrig ("Faster pairing computations on curves with high-degree twists",
/// PKC 2010), as also used by Aranha et al. ("Faster explicit formulas for computing pairings over
/// ordinary curves", EUROCRYPT 2011): 3 multiplications and 6 squarings per doubling instead of 5 and 6
/// in Jacobian coordinates. A line through points of the twist, evaluated at P = (xp, yp) after
/// untwisting (x, y) → (x/w^2, y/w^3) and clearing a factor in a subfield, is
/// (λ·x_T - y_T) + (-λ·xp)·v + yp·v·w, with λ the slope on the twist. It touches only positions
/// 0, 1 and 4 of the Fp12 basis, hence <see cref="Fp12.MulBy014"/>. Every line is scaled by an Fp2
/// factor so that no inversion is needed; such factors vanish in the final exponentiation.</para>
/// <para>With several pairs, each step's lines are multiplied together two at a time before they reach
/// the accumulator (<see cref="LineProducts"/>), which is cheaper than folding them in one by one.</para>
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
        var negXp = new Fp[n];
        var lines = new Line[n];
        for (var i = 0; i < n; i++)
        {
            tx[i] = qs[i].X;
            ty[i] = qs[i].Y;
            tz[i] = Fp2.One;
            negXp[i] = Fp.Neg(ps[i].X);
        }

        // The top bit of |z| (bit 63) is the starting T = Q; walk the rest. The accumulator starts as 1,
        // so the first squaring is skipped and the first lines become the accumulator directly.
        var f = Fp12.One;
        var first = true;
        for (var bit = 62; bit >= 0; bit--)
        {
            if (!first)
            {
                f = Fp12.Square(f);
            }

            for (var i = 0; i < n; i++)
            {
                lines[i] = DoublingStep(ref tx[i], ref ty[i], ref tz[i], negXp[i], ps[i].Y);
            }

            f = Fold(f, lines, first);
            first = false;
            if (((G1.AbsZ >> bit) & 1) != 0)
            {
                for (var i = 0; i < n; i++)
                {
                    lines[i] = AdditionStep(ref tx[i], ref ty[i], ref tz[i], qs[i], negXp[i], ps[i].Y);
                }

                f = Fold(f, lines, first: false);
            }
        }

        return Fp12.Conjugate(f);
    }

    /// <summary>f times every line, two lines at a time (<see cref="LineProducts"/>); f is ignored when it is still 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Fp12 Fold(in Fp12 f, ReadOnlySpan<Line> lines, bool first)
    {
        var acc = f;
        var i = 0;
        if (first)
        {
            acc = lines.Length >= 2 ? LineProducts.Mul(lines[0], lines[1]) : lines[0].ToFp12();
            i = Math.Min(2, lines.Length);
        }

        for (; i + 1 < lines.Length; i += 2)
        {
            acc = LineProducts.MulByLineProduct(acc, LineProducts.Mul(lines[i], lines[i + 1]));
        }

        if (i < lines.Length)
        {
            var last = lines[i];
            acc = Fp12.MulBy014(acc, last.C0, last.C1, last.C4);
        }

        return acc;
    }

    /// <summary>
    /// T ← 2T; returns the line ℓ_{T,T}(P). With B = Y^2, C = Z^2, E = 3b'·C, F = 3E and H = 2YZ, the doubling
    /// (scaled by 4 to avoid halvings) is X3 = 2XY·(B - F), Y3 = (B + F)^2 - 12E^2, Z3 = 4B·H. The tangent,
    /// with λ = 3X^2 / (2YZ) and scaled by 2YZ, is (3X^3 - 2Y^2·Z)/Z + (-3X^2·xp)·v + (2YZ·yp)·v·w, and
    /// the curve equation Y^2·Z = X^3 + b'·Z^3 turns its first coefficient into B - E.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Line DoublingStep(ref Fp2 x, ref Fp2 y, ref Fp2 z, in Fp negXp, in Fp yp)
    {
        var b = Fp2.Square(y);
        var c = Fp2.Square(z);
        var e = G2Curve.MulByB3(c);
        var ff = Fp2.Double(e) + e;
        var h = Fp2.Square(y + z) - b - c;
        var xx = Fp2.Square(x);
        var xx3 = Fp2.Double(xx) + xx;

        var l0 = b - e;
        var l1 = Fp2.MulByFp(xx3, negXp);
        var l4 = Fp2.MulByFp(h, yp);

        var x3 = Fp2.Double((x * y) * (b - ff));
        var ee = Fp2.Square(e);
        var ee4 = Fp2.Double(Fp2.Double(ee));
        var y3 = Fp2.Square(b + ff) - Fp2.Double(ee4) - ee4;
        var z3 = Fp2.Double(Fp2.Double(b * h));

        x = x3;
        y = y3;
        z = z3;
        return new Line(l0, l1, l4);
    }

    /// <summary>
    /// T ← T + Q (Q affine); returns the line ℓ_{T,Q}(P). With θ = Y - yq·Z and L = X - xq·Z (so λ = θ/L),
    /// D = L^2, E = L^3, G = X·D and H = E + Z·θ^2 - 2G: X3 = L·H, Y3 = θ(G - H) - Y·E, Z3 = Z·E (the
    /// negation of mmadd-1998-cmo's output, the same projective point). The line through Q scaled by L
    /// is (θ·xq - L·yq) + (-θ·xp)·v + (L·yp)·v·w. T ≠ ±Q throughout the loop (T is a multiple of Q by a
    /// prefix of |z|, never ±1 modulo r), so L ≠ 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Line AdditionStep(ref Fp2 x, ref Fp2 y, ref Fp2 z, in (Fp2 X, Fp2 Y) q, in Fp negXp, in Fp yp)
    {
        var theta = y - (q.Y * z);
        var l = x - (q.X * z);
        var d = Fp2.Square(l);
        var e = l * d;
        var g = x * d;
        var h = e + (z * Fp2.Square(theta)) - Fp2.Double(g);
        var x3 = l * h;
        var y3 = (theta * (g - h)) - (y * e);
        var z3 = z * e;

        var l0 = (theta * q.X) - (l * q.Y);
        var l1 = Fp2.MulByFp(theta, negXp);
        var l4 = Fp2.MulByFp(l, yp);

        x = x3;
        y = y3;
        z = z3;
        return new Line(l0, l1, l4);
    }
}
