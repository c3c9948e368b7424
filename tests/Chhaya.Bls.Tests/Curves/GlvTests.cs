// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Curves;
using CsCheck;

namespace Chhaya.Bls.Tests.Curves;

public class GlvTests
{
    private static readonly BigInteger ZSquared = new BigInteger(0xd201000000010000UL) * new BigInteger(0xd201000000010000UL);

    private static readonly Gen<BigInteger> Scalar = Gen.OneOf(
        Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true) % Oracle.R),
        Gen.Int[0, 3].Select(i => (BigInteger)i),
        Gen.Int[1, 3].Select(i => Oracle.R - i),
        Gen.Int[-1, 1].Select(i => ZSquared + i),
        Gen.Int[-1, 1].Select(i => (ZSquared * 3) + i));

    [Fact]
    public void Base_z_squared_digits_reconstruct_the_scalar() =>
        Scalar.Sample(k =>
        {
            var digits = new ulong[4];
            G1Glv.Decompose(Oracle.ToLimbs(k, 4), digits);
            var d0 = new BigInteger(digits[0]) + (new BigInteger(digits[1]) << 64);
            var d1 = new BigInteger(digits[2]) + (new BigInteger(digits[3]) << 64);
            return d0 + (d1 * ZSquared) == k && d0 < ZSquared;
        });

    [Fact]
    public void Endomorphism_multiplication_matches_double_and_add() =>
        Gen.Select(Scalar, Gen.ULong[1, ulong.MaxValue]).Sample(
            (k, m) =>
            {
                var limbs = Oracle.ToLimbs(k, 4);
                var p = G1Projective.MulVartime(G1.Generator, m);
                return G1Projective.Equal(G1Glv.MulConstantTime(p, limbs), G1Projective.MulVartime(p, limbs))
                    && G1Projective.Equal(G1Glv.MulConstantTime(G1.Generator, limbs), G1Projective.MulConstantTime(G1.Generator, limbs));
            },
            iter: 20);
}
