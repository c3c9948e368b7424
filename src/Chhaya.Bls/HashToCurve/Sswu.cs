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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (Fp2 X, Fp2 Y) MapG2(in Fp2 u)
    {
        var u2 = Fp2.Square(u);
        var zu2 = Fp2.Mul(Z2, u2);
        var tv1 = Fp2.Invert(Fp2.Add(Fp2.Square(zu2), zu2));
        var x1 = tv1.IsZero
            ? Fp2.Mul(B2, Fp2.Invert(Fp2.Mul(Z2, A2)))
            : Fp2.Mul(Fp2.Neg(Fp2.Mul(B2, Fp2.Invert(A2))), Fp2.Add(Fp2.One, tv1));
        var gx1 = Fp2.Add(Fp2.Mul(Fp2.Add(Fp2.Square(x1), A2), x1), B2);
        Fp2 x, y;
        // TrySqrt rejects a non-square after one exponentiation (its norm is not a square).
        if (Fp2.TrySqrt(gx1, out var y1))
        {
            x = x1;
            y = y1;
        }
        else
        {
            x = Fp2.Mul(zu2, x1);
            var gx2 = Fp2.Add(Fp2.Mul(Fp2.Add(Fp2.Square(x), A2), x), B2);
            if (!Fp2.TrySqrt(gx2, out y))
            {
                throw new InvalidOperationException("SSWU: neither gx1 nor gx2 is square, which the map's design rules out.");
            }
        }

        if (u.Sgn0 != y.Sgn0)
        {
            y = Fp2.Neg(y);
        }

        return (x, y);
    }
}
