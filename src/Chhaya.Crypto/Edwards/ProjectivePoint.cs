// SPDX-License-Identifier: AGPL-3.0-or-later
using static Chhaya.Crypto.Edwards.FieldElement;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// A point in projective coordinates (X : Y : Z), x = X/Z, y = Y/Z: all a doubling reads, so a chain of
/// doublings skips the fourth coordinate T of <see cref="EdwardsPoint"/> (the "P2" form of ref10 designs).
/// </summary>
internal readonly struct ProjectivePoint
{
    public readonly FieldElement X;
    public readonly FieldElement Y;
    public readonly FieldElement Z;

    public ProjectivePoint(in FieldElement x, in FieldElement y, in FieldElement z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    /// <summary>The neutral element (0 : 1 : 1).</summary>
    public static ProjectivePoint Identity => new(Zero, One, One);

    /// <summary>
    /// [2]P as a completed point: the dbl-2008-hwcd formulas for a = −1 (Hisil–Wong–Carter–Dawson 2008,
    /// §3.3), four squarings and no multiplication.
    /// </summary>
    public CompletedPoint Double()
    {
        var xx = Square(X);
        var yy = Square(Y);
        var zz = Square(Z);
        var zz2 = Add(zz, zz);
        var xPlusYSquared = Square(Add(X, Y));
        var yyPlusXx = Add(yy, xx);
        var yyMinusXx = Sub(yy, xx);
        return new CompletedPoint(Sub(xPlusYSquared, yyPlusXx), yyPlusXx, yyMinusXx, Sub(zz2, yyMinusXx));
    }
}
