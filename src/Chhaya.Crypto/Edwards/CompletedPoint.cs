// SPDX-License-Identifier: AGPL-3.0-or-later
using static Chhaya.Crypto.Edwards.FieldElement;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// The raw output of an addition or doubling, ((X : Z), (Y : T)) with x = X/Z and y = Y/T (the "P1×P1"
/// form of ref10 designs). Converting it costs three multiplications to <see cref="ProjectivePoint"/> (enough
/// for a following doubling) or four to <see cref="EdwardsPoint"/> (needed for a following addition).
/// </summary>
internal readonly struct CompletedPoint
{
    public readonly FieldElement X;
    public readonly FieldElement Y;
    public readonly FieldElement Z;
    public readonly FieldElement T;

    public CompletedPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t)
    {
        X = x;
        Y = y;
        Z = z;
        T = t;
    }

    public ProjectivePoint ToProjective() => new(Mul(X, T), Mul(Y, Z), Mul(Z, T));

    public EdwardsPoint ToExtended() => new(Mul(X, T), Mul(Y, Z), Mul(Z, T), Mul(X, Y));
}
