// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;
using Chhaya.Bls.Pairing;
using CsCheck;

namespace Chhaya.Bls.Tests.Pairing;

public class PairingTests
{
    private static readonly Gen<BigInteger> Scalar =
        Gen.Byte.Array[32].Select(b => BigInteger.One + (new BigInteger(b, isUnsigned: true, isBigEndian: true) % (Oracle.R - 1)));

    [Fact]
    public void Pairing_of_the_generators_is_non_degenerate_and_has_order_r()
    {
        var e = Pairings.Pair(G1.Generator, G2.Generator);
        Assert.False(e.IsOne);
        Assert.True(Oracle.Pow(e, Oracle.ToLimbs(Oracle.R, 4)).IsOne);
    }

    [Fact]
    public void Pairing_is_bilinear() =>
        Scalar.Select(Scalar).Sample(
            (a, b) =>
            {
                var p = G1Projective.MulVartime(G1.Generator, Oracle.ToLimbs(a, 4));
                var q = G2Projective.MulVartime(G2.Generator, Oracle.ToLimbs(b, 4));
                var lhs = Pairings.Pair(p, q);
                var rhs = Oracle.Pow(Pairings.Pair(G1.Generator, G2.Generator), Oracle.ToLimbs(a * b % Oracle.R, 4));
                var swapped = Pairings.Pair(
                    G1Projective.MulVartime(G1.Generator, Oracle.ToLimbs(b, 4)),
                    G2Projective.MulVartime(G2.Generator, Oracle.ToLimbs(a, 4)));
                return Fp12.Equal(lhs, rhs) && Fp12.Equal(lhs, swapped);
            },
            iter: 3);

    [Fact]
    public void Multi_pairing_equals_the_product_of_pairings()
    {
        var p1 = G1Projective.MulVartime(G1.Generator, 5);
        var p2 = G1Projective.MulVartime(G1.Generator, 7);
        var q1 = G2Projective.MulVartime(G2.Generator, 11);
        var q2 = G2Projective.MulVartime(G2.Generator, 13);
        var product = Pairings.Pair(p1, q1) * Pairings.Pair(p2, q2);
        Assert.True(Fp12.Equal(product, Pairings.MultiPair([p1, p2], [q1, q2])));
        Assert.True(Pairings.ProductIsOne([p1, G1Projective.Neg(p1)], [q1, q1]));
        Assert.False(Pairings.ProductIsOne([p1, G1Projective.Neg(p2)], [q1, q1]));
        Assert.True(Pairings.Pair(G1Projective.Identity, q1).IsOne);
        Assert.True(Pairings.Pair(p1, G2Projective.Identity).IsOne);

        // Pairs with an identity point drop out of the batched affine conversion without disturbing the others.
        Assert.True(Fp12.Equal(product, Pairings.MultiPair([G1Projective.Identity, p1, p2, p1], [q2, q1, q2, G2Projective.Identity])));
    }
}
