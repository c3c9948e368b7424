// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>Sums and differences of two products with a single Montgomery reduction (lazy reduction).</summary>
internal readonly partial struct Fp
{
    /// <summary>a·b + c·d: two double-width products below p^2 each, one reduction of their sum (below 2p^2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp MulAddMul(in Fp a, in Fp b, in Fp c, in Fp d) =>
        MontgomeryReduce(FpWide.Add2(MulWide(a, b), MulWide(c, d)));

    /// <summary>a·b − c·d: the difference of the double-width products plus p^2 (positive, below 2p^2), one reduction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp MulSubMul(in Fp a, in Fp b, in Fp c, in Fp d) =>
        MontgomeryReduce(FpWide.SubAddP2(MulWide(a, b), MulWide(c, d)));
}
