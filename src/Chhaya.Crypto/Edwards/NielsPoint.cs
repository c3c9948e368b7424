// SPDX-License-Identifier: AGPL-3.0-or-later
using static Chhaya.Crypto.Edwards.FieldElement;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// A point prepared as an addend, (Y + X, Y − X, Z, 2d·T) — the "cached" or projective Niels form (Niels
/// Duif, used by ref10 and its descendants): adding it to an <see cref="EdwardsPoint"/> costs four
/// multiplications instead of nine. With Z = 1 it is the affine form used by precomputed base-point tables,
/// where <see cref="EdwardsPoint.AddAffine"/> skips one more multiplication.
/// </summary>
internal readonly struct NielsPoint
{
    public readonly FieldElement YPlusX;
    public readonly FieldElement YMinusX;
    public readonly FieldElement Z;
    public readonly FieldElement T2d;

    public NielsPoint(in FieldElement yPlusX, in FieldElement yMinusX, in FieldElement z, in FieldElement t2d)
    {
        YPlusX = yPlusX;
        YMinusX = yMinusX;
        Z = z;
        T2d = t2d;
    }

    /// <summary>The neutral element (1, 1, 1, 0).</summary>
    public static NielsPoint Identity => new(One, One, One, FieldElement.Zero);

    /// <summary>The projective Niels form of <paramref name="p"/>.</summary>
    public static NielsPoint From(in EdwardsPoint p) => new(Add(p.Y, p.X), Sub(p.Y, p.X), p.Z, Mul(p.T, D2));

    /// <summary>
    /// The affine Niels form (Z = 1) of <paramref name="p"/>: one inversion, for the base-point tables built
    /// once from the public B. The inversion is variable time: never pass a point derived from a secret.
    /// </summary>
    public static NielsPoint AffineFrom(in EdwardsPoint p)
    {
        var zInv = InvertVartime(p.Z);
        var x = Mul(p.X, zInv);
        var y = Mul(p.Y, zInv);
        return new NielsPoint(Add(y, x), Sub(y, x), One, Mul(Mul(x, y), D2));
    }

    /// <summary>−P: x changes sign, so Y + X and Y − X trade places and T changes sign.</summary>
    public NielsPoint Negate() => new(YMinusX, YPlusX, Z, FieldElement.Negate(T2d));

    public static NielsPoint Select(ulong mask, in NielsPoint whenOnes, in NielsPoint whenZero) => new(
        FieldElement.Select(mask, whenOnes.YPlusX, whenZero.YPlusX),
        FieldElement.Select(mask, whenOnes.YMinusX, whenZero.YMinusX),
        FieldElement.Select(mask, whenOnes.Z, whenZero.Z),
        FieldElement.Select(mask, whenOnes.T2d, whenZero.T2d));

    /// <summary>
    /// Entry |<paramref name="digit"/>| of <paramref name="table"/> (which holds 1·P … n·P), negated when the
    /// digit is negative, and the identity for 0 — in constant time: every entry is read, the choice is made
    /// by masks, and neither the digit's sign nor its size steers a branch or an index.
    /// </summary>
    public static NielsPoint LookupSigned(ReadOnlySpan<NielsPoint> table, int digit)
    {
        var negative = (ulong)(long)(digit >> 31); // all ones when digit < 0
        var magnitude = (ulong)(long)((digit ^ (digit >> 31)) - (digit >> 31));
        var result = Identity;
        for (var j = 0; j < table.Length; j++)
        {
            result = Select(Chhaya.Safety.ConstantTime.EqualMask((ulong)(j + 1), magnitude), table[j], result);
        }

        return Select(negative, result.Negate(), result);
    }
}
