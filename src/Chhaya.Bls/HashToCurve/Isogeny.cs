// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.HashToCurve;

/// <summary>
/// Evaluates the isogeny maps of RFC 9380 appendix E. The result is returned projectively as
/// (x_num·y_den : y'·y_num·x_den : x_den·y_den), which needs no inversion; a zero denominator gives the
/// identity, as appendix E requires.
/// </summary>
internal static class Isogeny
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G1Projective MapG1(in Fp x, in Fp y)
    {
        var xNum = Horner(IsogenyConstants.G1XNum, x);
        var xDen = Horner(IsogenyConstants.G1XDen, x);
        var yNum = Horner(IsogenyConstants.G1YNum, x);
        var yDen = Horner(IsogenyConstants.G1YDen, x);
        var z = Fp.Mul(xDen, yDen);
        return z.IsZero
            ? G1Projective.Identity
            : new G1Projective(Fp.Mul(xNum, yDen), Fp.Mul(Fp.Mul(y, yNum), xDen), z);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G2Projective MapG2(in Fp2 x, in Fp2 y)
    {
        var xNum = Horner(IsogenyConstants.G2XNum, x);
        var xDen = Horner(IsogenyConstants.G2XDen, x);
        var yNum = Horner(IsogenyConstants.G2YNum, x);
        var yDen = Horner(IsogenyConstants.G2YDen, x);
        var z = Fp2.Mul(xDen, yDen);
        return z.IsZero
            ? G2Projective.Identity
            : new G2Projective(Fp2.Mul(xNum, yDen), Fp2.Mul(Fp2.Mul(y, yNum), xDen), z);
    }

    /// <summary>Σ k_i x^i with the coefficients in ascending order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Horner<T>(T[] coefficients, in T x)
        where T : unmanaged, IField<T>
    {
        var acc = coefficients[^1];
        for (var i = coefficients.Length - 2; i >= 0; i--)
        {
            acc = T.Add(T.Mul(acc, x), coefficients[i]);
        }

        return acc;
    }
}
