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

    [Fact]
    public void Sign_aligned_columns_reconstruct_the_digits() =>
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong, Gen.Int[0, 3])
            .Select((d0, d1, d2, d3, edge) => edge switch
            {
                0 => new[] { d0 | 1, d1, d2, d3 },
                1 => new[] { ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue },
                2 => new[] { 1UL, 0UL, 0UL, 0UL },
                _ => new[] { (1UL << 63) | 1, 1UL << 63, 1UL, ulong.MaxValue >> 1 },
            })
            .Sample(digits =>
            {
                var columns = new byte[65];
                G2Gls.Recode(digits, columns);
                var sums = new BigInteger[4];
                for (var i = 64; i >= 0; i--)
                {
                    var sign = (columns[i] & 0x80) != 0 ? -1 : 1;
                    sums[0] = (sums[0] * 2) + sign;
                    for (var j = 1; j < 4; j++)
                    {
                        sums[j] = (sums[j] * 2) + (((columns[i] >> (j - 1)) & 1) * sign);
                    }
                }

                return columns[64] < 0x80
                    && columns.All(c => (c & 0x78) == 0)
                    && Enumerable.Range(0, 4).All(j => sums[j] == digits[j]);
            });

    [Fact]
    public void Odd_representative_is_k_or_r_minus_k()
    {
        foreach (var k in new[] { BigInteger.Zero, BigInteger.One, new BigInteger(2), Oracle.R - 1, Oracle.R - 2, (Oracle.R - 1) / 2 })
        {
            var odd = new ulong[4];
            var negated = G2Gls.OddRepresentative(Oracle.ToLimbs(k, 4), odd);
            var expected = k.IsEven ? Oracle.R - k : k;
            Assert.Equal(Oracle.ToLimbs(expected, 4), odd);
            Assert.Equal(k.IsEven ? ulong.MaxValue : 0UL, negated);
        }
    }

    [Fact]
    public void Jacobian_evaluation_matches_and_flags_its_exceptional_scalars()
    {
        var p = G2Projective.MulVartime(G2.Generator, 0x1234567);

        // k = 0 runs as r - 0 = r, whose columns bring the accumulator onto the added point: flagged, and
        // the public method falls back to the complete formulas.
        Assert.False(G2Gls.TryMulJacobian(p, Oracle.ToLimbs(BigInteger.Zero, 4), out _));
        Assert.True(G2Projective.Equal(G2Gls.MulConstantTime(p, Oracle.ToLimbs(BigInteger.Zero, 4)), G2Projective.Identity));

        Scalar.Where(k => !k.IsZero).Sample(
            k =>
            {
                var limbs = Oracle.ToLimbs(k, 4);
                var expected = G2Projective.MulVartime(p, limbs);
                return G2Gls.TryMulJacobian(p, limbs, out var product)
                    && G2Projective.Equal(product, expected)
                    && G2Projective.Equal(G2Gls.MulConstantTimeComplete(p, limbs), expected);
            },
            iter: 20);
    }
}
