// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Bls.Fields;

/// <summary>
/// The operations the curve code needs from a coordinate field (Fp for G1, Fp2 for G2), so the point
/// formulas are written once. Implemented by value types; the JIT specialises generic code per type.
/// </summary>
internal interface IField<T>
    where T : unmanaged, IField<T>
{
    static abstract T Zero { get; }

    static abstract T One { get; }

    bool IsZero { get; }

    ulong IsZeroMask { get; }

    static abstract T Add(in T a, in T b);

    static abstract T Sub(in T a, in T b);

    static abstract T Double(in T a);

    static abstract T Neg(in T a);

    static abstract T Mul(in T a, in T b);

    static abstract T Square(in T a);

    /// <summary>a·b + c·d for reduced operands, with one reduction per coordinate instead of two.</summary>
    static abstract T MulAddMul(in T a, in T b, in T c, in T d);

    /// <summary>a·b − c·d for reduced operands, with one reduction per coordinate instead of two.</summary>
    static abstract T MulSubMul(in T a, in T b, in T c, in T d);

    static abstract T Invert(in T a);

    /// <summary>1 / a (0 maps to 0) in variable time: public values only.</summary>
    static abstract T InvertVartime(in T a);

    static abstract bool Equal(in T a, in T b);

    static abstract ulong EqualMask(in T a, in T b);

    static abstract T Select(ulong mask, in T whenOnes, in T whenZero);
}
