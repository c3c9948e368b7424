// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;
using Chhaya.Bls.HashToCurve;
using Chhaya.Bls.Pairing;
using CsCheck;

namespace Chhaya.Bls.Tests.Curves;

/// <summary>The variable-time Jacobian multiplication and affine conversion against the complete-formula reference.</summary>
public class JacobianTests
{
    /// <summary>Points of E2 off the subgroup (SSWU output before cofactor clearing), so small-order parts are exercised too.</summary>
    private static G2Projective OffSubgroupG2(ulong seed) =>
        Hasher.MapToG2(new Fp2(Fp.FromUInt64(seed), Fp.FromUInt64(seed * 31 + 7)));

    [Fact]
    public void Jacobian_multiplication_matches_double_and_add_in_G1_and_G2() =>
        Gen.Select(Gen.ULong, Gen.ULong[1, 1_000_000]).Sample(
            (k, seed) =>
            {
                var p1 = G1Projective.MulVartime(G1.Generator, seed);
                var p2 = OffSubgroupG2(seed);
                return G1Projective.Equal(Jacobian.MulVartime(p1, k), G1Projective.MulVartime(p1, [k]))
                    && G2Projective.Equal(Jacobian.MulVartime(p2, k), G2Projective.MulVartime(p2, [k]));
            },
            iter: 25);

    [Fact]
    public void Jacobian_multiplication_handles_the_exceptional_cases()
    {
        var p = G1Projective.MulVartime(G1.Generator, 5);
        Assert.True(Jacobian.MulVartime(p, 0).IsIdentity);
        Assert.True(Jacobian.MulVartime(G1Projective.Identity, 12345).IsIdentity);
        Assert.True(G1Projective.Equal(Jacobian.MulVartime(p, 1), p));
        Assert.True(G1Projective.Equal(Jacobian.MulVartime(p, 3), G1Projective.MulVartime(p, [3UL])));
        Assert.True(G1Projective.Equal(Jacobian.MulVartime(p, ulong.MaxValue), G1Projective.MulVartime(p, [ulong.MaxValue])));

        // A point of order 3 on E1 (x = 0, y = 2): 2P = -P, so the addition in 3P meets opposite points,
        // and 4P = P makes the addition in 5P a doubling.
        var order3 = G1Projective.FromAffine(Fp.Zero, Fp.FromUInt64(2));
        Assert.True(order3.IsOnCurve);
        Assert.True(Jacobian.MulVartime(order3, 3).IsIdentity);
        Assert.True(G1Projective.Equal(Jacobian.MulVartime(order3, 4), order3));
        Assert.True(G1Projective.Equal(Jacobian.MulVartime(order3, 5), G1Projective.Neg(order3)));
        for (ulong k = 0; k < 20; k++)
        {
            Assert.True(G1Projective.Equal(Jacobian.MulVartime(order3, k), G1Projective.MulVartime(order3, [k])));
        }
    }

    [Fact]
    public void Variable_time_affine_conversion_matches_the_constant_time_one() =>
        Gen.ULong[1, ulong.MaxValue].Sample(
            k =>
            {
                var p = G2Projective.MulVartime(G2.Generator, k);
                return p.TryToAffine(out var x, out var y)
                    && p.TryToAffineVartime(out var xv, out var yv)
                    && Fp2.Equal(x, xv) && Fp2.Equal(y, yv);
            },
            iter: 25);

    [Fact]
    public void Variable_time_Fp12_inversion_matches_the_constant_time_one()
    {
        var rng = new Random(11);
        for (var i = 0; i < 10; i++)
        {
            var a = Oracle.RandomFp12(rng);
            Assert.True(Fp12.Equal(Fp12.InvertVartime(a), Fp12.Invert(a)));
        }

        var f = Pairings.MultiMillerLoop([G1.Generator], [G2.Generator]);
        Assert.True(Fp12.Equal(Fp12.InvertVartime(f), Fp12.Invert(f)));
    }
    [Fact]
    public void Summing_points_matches_complete_additions_through_every_exceptional_case()
    {
        var a = G1Projective.MulVartime(G1.Generator, 7).Normalize();
        var b = G1Projective.MulVartime(G1.Generator, 11).Normalize();
        var notAffine = G1Projective.Double(G1Projective.MulVartime(G1.Generator, 3));
        Assert.False(notAffine.Z.IsZero || Fp.Equal(notAffine.Z, Fp.One));
        List<G1Projective[]> cases =
        [
            [],
            [a],
            [a, b],
            [a, a],                                // a doubling inside the mixed addition
            [a, G1Projective.Neg(a)],              // opposite points: the running sum becomes the identity
            [a, G1Projective.Neg(a).Normalize(), b], // and starts over from the next point
            [notAffine, a, b, notAffine],          // points with Z ≠ 1 go through the complete addition
            [G1Projective.Identity, a],
        ];
        foreach (var points in cases)
        {
            var expected = G1Projective.Identity;
            foreach (var p in points)
            {
                expected = G1Projective.Add(expected, p);
            }

            Assert.True(G1Projective.Equal(Jacobian.SumVartime(points), expected));
        }
    }
}
