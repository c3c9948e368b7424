// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.HashToCurve;

/// <summary>
/// The simplified Shallue–van de Woestijne–Ulas map (RFC 9380 section 6.6.2) onto the isogenous curves
/// E1': y^2 = x^3 + A'x + B' (section 8.8.1) and E2': y^2 = x^3 + 240u·x + 1012(1 + u) (section 8.8.2),
/// written as the straight-line steps of section 6.6.2. Inputs are public (hashes of messages).
/// </summary>
internal static class Sswu
{
    private static readonly Fp A1 = FpHex.Parse(
        "0x144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d");

    private static readonly Fp B1 = FpHex.Parse(
        "0x12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0");

    private static readonly Fp Z1 = Fp.FromUInt64(11);

    private static readonly Fp2 A2 = new(Fp.Zero, Fp.FromUInt64(240));

    private static readonly Fp2 B2 = new(Fp.FromUInt64(1012), Fp.FromUInt64(1012));

    /// <summary>Z = -(2 + u).</summary>
    private static readonly Fp2 Z2 = new(Fp.Neg(Fp.FromUInt64(2)), Fp.Neg(Fp.One));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (Fp X, Fp Y) MapG1(in Fp u)
    {
        var u2 = Fp.Square(u);
        var zu2 = Fp.Mul(Z1, u2);
        var tv1 = Fp.Invert(Fp.Add(Fp.Square(zu2), zu2));
        var x1 = tv1.IsZero
            ? Fp.Mul(B1, Fp.Invert(Fp.Mul(Z1, A1)))
            : Fp.Mul(Fp.Neg(Fp.Mul(B1, Fp.Invert(A1))), Fp.Add(Fp.One, tv1));
        var gx1 = Fp.Add(Fp.Mul(Fp.Add(Fp.Square(x1), A1), x1), B1);
        Fp x, y;
        if (Fp.TrySqrt(gx1, out var y1))
        {
            x = x1;
            y = y1;
        }
        else
        {
            x = Fp.Mul(zu2, x1);
            var gx2 = Fp.Add(Fp.Mul(Fp.Add(Fp.Square(x), A1), x), B1);
            if (!Fp.TrySqrt(gx2, out y))
            {
                throw new InvalidOperationException("SSWU: neither gx1 nor gx2 is square, which the map's design rules out.");
            }
        }

        if (u.Sgn0 != y.Sgn0)
        {
            y = Fp.Neg(y);
        }

        return (x, y);
    }

    /// <summary>-B/A for E2', the x1 numerator factor of section 6.6.2.</summary>
    private static readonly Fp2 MinusBOverA2 = Fp2.Neg(Fp2.Mul(B2, Fp2.Invert(A2)));

    /// <summary>B/(Z·A) for E2', the exceptional-case x1.</summary>
    private static readonly Fp2 BOverZA2 = Fp2.Mul(B2, Fp2.Invert(Fp2.Mul(Z2, A2)));

    /// <summary>A square root of -5 in Fp (-5 is a square, 5 is not; N(Z) = 5).</summary>
    private static readonly Fp SqrtMinus5 = Fp.TrySqrt(Fp.Neg(Fp.FromUInt64(5)), out var r)
        ? r
        : throw new InvalidOperationException("-5 must be a square in Fp.");

    /// <summary>
    /// The SSWU map for G2 with two Fp exponentiations in all cases. The norm N1 of g(x1) decides
    /// squareness; s = N1^((p-3)/4) gives r = N1·s, a root of N1 when it is a square and of -N1 when it
    /// is not. In the second case g(x2) = Z^3·u^6·g(x1) has norm 125·N(u)^6·N1, whose root
    /// 5·N(u)^3·sqrt(-5)·r comes without a second exponentiation. One more exponentiation then
    /// finishes the Fp2 root (<see cref="Fp2.TrySqrtWithNormRoot"/>). Every root is squared back; an
    /// unexpected failure falls back to the generic square root. The input is public (a hash of the
    /// message), so the branches and the variable-time inversion are fine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (Fp2 X, Fp2 Y) MapG2(in Fp2 u)
    {
        var u2 = Fp2.Square(u);
        var zu2 = Fp2.Mul(Z2, u2);
        var tv1 = Fp2.Add(Fp2.Square(zu2), zu2);
        var x1 = tv1.IsZero
            ? BOverZA2
            : Fp2.Mul(MinusBOverA2, Fp2.Add(Fp2.One, Fp2.InvertVartime(tv1)));
        var gx1 = Curve2(x1);
        var n1 = Fp2.Norm(gx1);
        var r = Fp.Mul(n1, Fp.PowPMinus3Over4(n1));
        Fp2 x, y;
        if (Fp.Equal(Fp.Square(r), n1))
        {
            x = x1;
            y = RootOf(gx1, r);
        }
        else
        {
            x = Fp2.Mul(zu2, x1);
            var gx2 = Curve2(x);
            var normU = Fp2.Norm(u);
            var normU3 = Fp.Mul(Fp.Square(normU), normU);
            var n2 = Fp.Mul(Fp.Mul(Fp.FromUInt64(5), normU3), Fp.Mul(SqrtMinus5, r));
            y = RootOf(gx2, n2);
        }

        if (u.Sgn0 != y.Sgn0)
        {
            y = Fp2.Neg(y);
        }

        return (x, y);
    }

    /// <summary>g(x) = x^3 + A'·x + B' on E2'.</summary>
    private static Fp2 Curve2(in Fp2 x) => Fp2.Add(Fp2.Mul(Fp2.Add(Fp2.Square(x), A2), x), B2);

    /// <summary>The square root of g, a square by construction, from a root of its norm; the generic path if that fails.</summary>
    private static Fp2 RootOf(in Fp2 g, in Fp normRoot)
    {
        if (!g.C1.IsZero && Fp2.TrySqrtWithNormRoot(g, normRoot, out var y))
        {
            return y;
        }

        return Fp2.TrySqrt(g, out y)
            ? y
            : throw new InvalidOperationException("SSWU: neither gx1 nor gx2 is square, which the map's design rules out.");
    }
}
