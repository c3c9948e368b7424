// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Fields;
using Chhaya.Safety;

namespace Chhaya.Bls.Curves;

/// <summary>
/// A point in homogeneous projective coordinates (X : Y : Z), x = X/Z, y = Y/Z; the identity is
/// (0 : 1 : 0).
/// </summary>
/// <remarks>
/// Addition and doubling use the complete formulas of Renes, Costello and Batina, "Complete addition
/// formulas for prime order elliptic curves" (EUROCRYPT 2016), algorithms 7 and 9 for a = 0. They give
/// the right answer for every pair of inputs (identity, equal points, opposite points) without a
/// branch, which is what makes the constant-time scalar multiplication simple and safe.
/// </remarks>
internal readonly struct Point<T, TCurve>
    where T : unmanaged, IField<T>
    where TCurve : ICurve<T>
{
    internal readonly T X;
    internal readonly T Y;
    internal readonly T Z;

    internal Point(in T x, in T y, in T z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static Point<T, TCurve> Identity => new(T.Zero, T.One, T.Zero);

    public bool IsIdentity => Z.IsZero;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> FromAffine(in T x, in T y) => new(x, y, T.One);

    /// <summary>Complete addition (RCB16 algorithm 7): 12 multiplications, 2 by 3b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> Add(in Point<T, TCurve> p, in Point<T, TCurve> q)
    {
        var t0 = T.Mul(p.X, q.X);
        var t1 = T.Mul(p.Y, q.Y);
        var t2 = T.Mul(p.Z, q.Z);
        var t3 = T.Mul(T.Add(p.X, p.Y), T.Add(q.X, q.Y));
        var t4 = T.Add(t0, t1);
        t3 = T.Sub(t3, t4);
        t4 = T.Mul(T.Add(p.Y, p.Z), T.Add(q.Y, q.Z));
        var x3 = T.Add(t1, t2);
        t4 = T.Sub(t4, x3);
        x3 = T.Mul(T.Add(p.X, p.Z), T.Add(q.X, q.Z));
        var y3 = T.Add(t0, t2);
        y3 = T.Sub(x3, y3);
        x3 = T.Double(t0);
        t0 = T.Add(x3, t0);
        t2 = TCurve.MulByB3(t2);
        var z3 = T.Add(t1, t2);
        t1 = T.Sub(t1, t2);
        y3 = TCurve.MulByB3(y3);

        // The last six multiplications come in pairs whose products are added or subtracted: each pair
        // is one lazy-reduced sum of products (the algorithm's X3 = t3·t1 − t4·y3, Y3 = t1·z3 + y3·t0,
        // Z3 = z3·t4 + t0·t3).
        return new Point<T, TCurve>(
            T.MulSubMul(t3, t1, t4, y3),
            T.MulAddMul(t1, z3, y3, t0),
            T.MulAddMul(z3, t4, t0, t3));
    }

    /// <summary>Complete doubling (RCB16 algorithm 9): 6 multiplications, 2 squarings, 1 by 3b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> Double(in Point<T, TCurve> p)
    {
        var t0 = T.Square(p.Y);
        var z3 = T.Double(t0);
        z3 = T.Double(z3);
        z3 = T.Double(z3);
        var t1 = T.Mul(p.Y, p.Z);
        var t2 = T.Square(p.Z);
        t2 = TCurve.MulByB3(t2);
        var y3 = T.Add(t0, t2);
        var z3Out = T.Mul(t1, z3);
        t1 = T.Double(t2);
        var t3 = T.Add(t1, t2);
        var t0Minus = T.Sub(t0, t3);

        // Y3 = t0'·y3 + t2·z3 as one lazy-reduced sum of products (the algorithm's X3 = t2·z3 is only used there).
        y3 = T.MulAddMul(t0Minus, y3, t2, z3);
        t1 = T.Mul(p.X, p.Y);
        var x3 = T.Double(T.Mul(t0Minus, t1));
        return new Point<T, TCurve>(x3, y3, z3Out);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> Neg(in Point<T, TCurve> p) => new(p.X, T.Neg(p.Y), p.Z);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> Sub(in Point<T, TCurve> p, in Point<T, TCurve> q) => Add(p, Neg(q));

    public static Point<T, TCurve> Select(ulong mask, in Point<T, TCurve> whenOnes, in Point<T, TCurve> whenZero) => new(
        T.Select(mask, whenOnes.X, whenZero.X),
        T.Select(mask, whenOnes.Y, whenZero.Y),
        T.Select(mask, whenOnes.Z, whenZero.Z));

    /// <summary>Projective equality: X1·Z2 = X2·Z1 and Y1·Z2 = Y2·Z1, with the identity handled apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Equal(in Point<T, TCurve> p, in Point<T, TCurve> q)
    {
        var pInf = p.IsIdentity;
        var qInf = q.IsIdentity;
        if (pInf || qInf)
        {
            return pInf && qInf;
        }

        return T.Equal(T.Mul(p.X, q.Z), T.Mul(q.X, p.Z)) && T.Equal(T.Mul(p.Y, q.Z), T.Mul(q.Y, p.Z));
    }

    /// <summary>Y^2·Z = X^3 + b·Z^3; the identity counts as on the curve.</summary>
    public bool IsOnCurve
    {
        get
        {
            if (IsIdentity)
            {
                return X.IsZero && !Y.IsZero;
            }

            var lhs = T.Mul(T.Square(Y), Z);
            var rhs = T.Add(T.Mul(T.Square(X), X), TCurve.MulByB(T.Mul(T.Square(Z), Z)));
            return T.Equal(lhs, rhs);
        }
    }

    /// <summary>Affine coordinates; false for the identity.</summary>
    public bool TryToAffine(out T x, out T y)
    {
        if (IsIdentity)
        {
            x = default;
            y = default;
            return false;
        }

        var zInv = T.Invert(Z);
        x = T.Mul(X, zInv);
        y = T.Mul(Y, zInv);
        return true;
    }

    /// <summary>
    /// Affine coordinates with the variable-time inversion, and none at all when Z is already 1 (decoded
    /// points); false for the identity. Public points only.
    /// </summary>
    public bool TryToAffineVartime(out T x, out T y)
    {
        if (IsIdentity)
        {
            x = default;
            y = default;
            return false;
        }

        if (T.Equal(Z, T.One))
        {
            x = X;
            y = Y;
            return true;
        }

        var zInv = T.InvertVartime(Z);
        x = T.Mul(X, zInv);
        y = T.Mul(Y, zInv);
        return true;
    }

    /// <summary>The same point with Z = 1 (or the canonical identity), so equal points have equal coordinates.</summary>
    public Point<T, TCurve> Normalize() => TryToAffine(out var x, out var y) ? FromAffine(x, y) : Identity;

    /// <summary>
    /// Multiplies by a public scalar (little-endian limbs) with double-and-add. Variable time: never
    /// use with a secret scalar.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> MulVartime(in Point<T, TCurve> p, ReadOnlySpan<ulong> scalar)
    {
        var acc = Identity;
        var started = false;
        for (var i = scalar.Length - 1; i >= 0; i--)
        {
            for (var bit = 63; bit >= 0; bit--)
            {
                if (started)
                {
                    acc = Double(acc);
                }

                if (((scalar[i] >> bit) & 1) != 0)
                {
                    acc = started ? Add(acc, p) : p;
                    started = true;
                }
            }
        }

        return acc;
    }

    public static Point<T, TCurve> MulVartime(in Point<T, TCurve> p, ulong scalar) =>
        MulVartime(p, new ReadOnlySpan<ulong>(in scalar));

    /// <summary>
    /// Multiplies by a secret scalar in constant time: a fixed 4-bit window over every limb, with the
    /// table entry picked by a masked scan of all 16 entries, so neither branches nor memory addresses
    /// depend on the scalar. With complete formulas no input needs special handling.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static Point<T, TCurve> MulConstantTime(in Point<T, TCurve> p, ReadOnlySpan<ulong> scalar)
    {
        const int Window = 4;
        const int TableSize = 1 << Window;
        Span<Point<T, TCurve>> table = stackalloc Point<T, TCurve>[TableSize];
        table[0] = Identity;
        for (var i = 1; i < TableSize; i++)
        {
            table[i] = Add(table[i - 1], p);
        }

        var acc = Identity;
        for (var limb = scalar.Length - 1; limb >= 0; limb--)
        {
            for (var shift = 64 - Window; shift >= 0; shift -= Window)
            {
                for (var d = 0; d < Window; d++)
                {
                    acc = Double(acc);
                }

                var index = (scalar[limb] >> shift) & (TableSize - 1);
                var selected = Identity;
                for (var j = 0; j < TableSize; j++)
                {
                    var mask = ConstantTime.EqualMask((ulong)j, index);
                    selected = Select(mask, table[j], selected);
                }

                acc = Add(acc, selected);
            }
        }

        return acc;
    }

    public override string ToString() => IsIdentity ? "identity" : $"({X} : {Y} : {Z})";
}
