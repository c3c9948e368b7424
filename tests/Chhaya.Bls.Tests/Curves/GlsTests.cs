// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Curves;
using CsCheck;

namespace Chhaya.Bls.Tests.Curves;

public class GlsTests
{
    private static readonly BigInteger AbsZ = new(0xd201000000010000UL);

    private static readonly Gen<BigInteger> Scalar = Gen.OneOf(
        Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true) % Oracle.R),
        Gen.Int[0, 3].Select(i => (BigInteger)i),
        Gen.Int[1, 3].Select(i => Oracle.R - i),
        Gen.Int[-1, 1].Select(i => AbsZ + i),
        Gen.Int[-1, 1].Select(i => (AbsZ * AbsZ * AbsZ) + i));

    [Fact]
    public void Base_z_digits_reconstruct_the_scalar() =>
        Scalar.Sample(k =>
        {
            var digits = new ulong[4];
            G2Gls.Decompose(Oracle.ToLimbs(k, 4), digits);
            var back = BigInteger.Zero;
            for (var i = 3; i >= 0; i--)
            {
                back = (back * AbsZ) + digits[i];
            }

            return back == k && digits.Take(3).All(d => d < 0xd201000000010000UL);
        });

    [Fact]
    public void Endomorphism_multiplication_matches_double_and_add() =>
        Scalar.Sample(
            k =>
            {
                var limbs = Oracle.ToLimbs(k, 4);
                var p = G2Projective.MulVartime(G2.Generator, 0x1234567);
                return G2Projective.Equal(G2Gls.MulConstantTime(p, limbs), G2Projective.MulVartime(p, limbs));
            },
            iter: 20);
}
