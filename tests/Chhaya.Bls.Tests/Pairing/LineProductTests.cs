// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;
using Chhaya.Bls.Pairing;

namespace Chhaya.Bls.Tests.Pairing;

public class LineProductTests
{
    [Fact]
    public void Line_products_equal_full_Fp12_multiplication()
    {
        var rng = new Random(11);
        for (var i = 0; i < 20; i++)
        {
            var a = new Line(Oracle.RandomFp2(rng), Oracle.RandomFp2(rng), Oracle.RandomFp2(rng));
            var b = new Line(Oracle.RandomFp2(rng), Oracle.RandomFp2(rng), Oracle.RandomFp2(rng));
            var product = LineProducts.Mul(a, b);
            Assert.True(Fp12.Equal(product, a.ToFp12() * b.ToFp12()));
            Assert.True(product.C1.C0.IsZero);

            var f = Oracle.RandomFp12(rng);
            Assert.True(Fp12.Equal(LineProducts.MulByLineProduct(f, product), f * product));
            Assert.True(Fp12.Equal(Fp12.MulBy014(f, a.C0, a.C1, a.C4), f * a.ToFp12()));

            var g = Oracle.RandomFp6(rng);
            var x = Oracle.RandomFp2(rng);
            var y = Oracle.RandomFp2(rng);
            Assert.True(Fp6.Equal(LineProducts.MulBy12(g, x, y), g * new Fp6(Fp2.Zero, x, y)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Multi_pairing_with_paired_lines_equals_the_product_of_single_pairings(int pairs)
    {
        // Odd and even counts take different paths through the line pairing (the last line alone).
        var rng = new Random(12 + pairs);
        var ps = new G1Projective[pairs];
        var qs = new G2Projective[pairs];
        var expected = Fp12.One;
        for (var i = 0; i < pairs; i++)
        {
            ps[i] = G1Projective.MulVartime(G1.Generator, (ulong)rng.NextInt64(1, long.MaxValue));
            qs[i] = G2Projective.MulVartime(G2.Generator, (ulong)rng.NextInt64(1, long.MaxValue));
            expected *= Pairings.Pair(ps[i], qs[i]);
        }

        Assert.True(Fp12.Equal(Pairings.MultiPair(ps, qs), expected));
    }
}
