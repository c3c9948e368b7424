// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Curves;

/// <summary>
/// Variable-time multiplication of a public point by a public 64-bit scalar in Jacobian coordinates
/// (x = X/Z^2, y = Y/Z^3) with mixed addition against the affine base: the multiplications by the curve
/// parameter z in cofactor clearing and subgroup tests.
/// </summary>
/// <remarks>
/// Doubling is dbl-2009-l (2M + 5S for a = 0) and addition madd-2007-bl (7M + 4S), both from the
/// Explicit-Formulas Database, against 6M + 2S and 12M for the complete projective formulas. They are
/// not complete, so the exceptional cases (the running point is the identity, equals the base, or is
/// its negative) are handled by branches; that is safe only because point and scalar are public.
/// </remarks>
internal static class Jacobian
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> MulVartime<T, TCurve>(in Point<T, TCurve> p, ulong scalar)
        where T : unmanaged, IField<T>
        where TCurve : ICurve<T>
    {
        if (scalar == 0 || !p.TryToAffineVartime(out var ax, out var ay))
        {
            return Point<T, TCurve>.Identity;
        }

        var x = ax;
        var y = ay;
        var z = T.One;
        for (var bit = 62 - System.Numerics.BitOperations.LeadingZeroCount(scalar); bit >= 0; bit--)
        {
            Double(ref x, ref y, ref z);
            if (((scalar >> bit) & 1) != 0)
            {
                AddAffine(ref x, ref y, ref z, ax, ay);
            }
        }

        // Jacobian (X, Y, Z) is the homogeneous projective (X·Z, Y, Z^3).
        return z.IsZero
            ? Point<T, TCurve>.Identity
            : new Point<T, TCurve>(T.Mul(x, z), y, T.Mul(T.Square(z), z));
    }

    /// <summary>
    /// The sum of public points: those stored with Z = 1 (decoded keys are) by mixed Jacobian additions
    /// (7M + 4S each, against 12M for the complete projective addition), any others by complete addition.
    /// Variable time: public points only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> SumVartime<T, TCurve>(IReadOnlyList<Point<T, TCurve>> points)
        where T : unmanaged, IField<T>
        where TCurve : ICurve<T>
    {
        // Jacobian identity: Z = 0 (AddAffine starts over from the next point).
        var x = T.One;
        var y = T.One;
        var z = T.Zero;
        var others = Point<T, TCurve>.Identity;
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (T.Equal(p.Z, T.One))
            {
                AddAffine(ref x, ref y, ref z, p.X, p.Y);
            }
            else
            {
                others = Point<T, TCurve>.Add(others, p);
            }
        }

        var sum = z.IsZero ? Point<T, TCurve>.Identity : new Point<T, TCurve>(T.Mul(x, z), y, T.Mul(T.Square(z), z));
        return Point<T, TCurve>.Add(sum, others);
    }

    /// <summary>dbl-2009-l. The identity (Z = 0) stays the identity, and so does a point with y = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Double<T>(ref T x, ref T y, ref T z)
        where T : unmanaged, IField<T>
    {
        var a = T.Square(x);
        var b = T.Square(y);
        var c = T.Square(b);
        var d = T.Double(T.Sub(T.Sub(T.Square(T.Add(x, b)), a), c));
        var e = T.Add(T.Double(a), a);
        var f = T.Square(e);
        var x3 = T.Sub(f, T.Double(d));
        var c8 = T.Double(T.Double(T.Double(c)));
        var y3 = T.Sub(T.Mul(e, T.Sub(d, x3)), c8);
        z = T.Double(T.Mul(y, z));
        x = x3;
        y = y3;
    }

    /// <summary>madd-2007-bl: (X, Y, Z) += (x2, y2) with the second point affine, exceptional cases by branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddAffine<T>(ref T x, ref T y, ref T z, in T x2, in T y2)
        where T : unmanaged, IField<T>
    {
        if (z.IsZero)
        {
            x = x2;
            y = y2;
            z = T.One;
            return;
        }

        var z1z1 = T.Square(z);
        var u2 = T.Mul(x2, z1z1);
        var s2 = T.Mul(T.Mul(y2, z), z1z1);
        var h = T.Sub(u2, x);
        var r = T.Double(T.Sub(s2, y));
        if (h.IsZero)
        {
            if (r.IsZero)
            {
                Double(ref x, ref y, ref z); // the same point
            }
            else
            {
                z = T.Zero; // opposite points
            }

            return;
        }

        var hh = T.Square(h);
        var i = T.Double(T.Double(hh));
        var j = T.Mul(h, i);
        var v = T.Mul(x, i);
        var x3 = T.Sub(T.Sub(T.Square(r), j), T.Double(v));
        var y3 = T.Sub(T.Mul(r, T.Sub(v, x3)), T.Double(T.Mul(y, j)));
        z = T.Sub(T.Sub(T.Square(T.Add(z, h)), z1z1), hh);
        x = x3;
        y = y3;
    }
}
