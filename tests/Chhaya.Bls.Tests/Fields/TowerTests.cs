// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Tests.Fields;

public class TowerTests
{
    private static readonly ulong[] PLimbs = Oracle.ToLimbs(Oracle.P, 6);

    [Fact]
    public void Fp2_is_a_field_with_u_squared_minus_one()
    {
        var rng = new Random(1);
        var u = new Fp2(Fp.Zero, Fp.One);
        Assert.True(Fp2.Equal(Fp2.Square(u), Fp2.Neg(Fp2.One)));
        for (var i = 0; i < 50; i++)
        {
            var a = Oracle.RandomFp2(rng);
            var b = Oracle.RandomFp2(rng);
            var c = Oracle.RandomFp2(rng);
            Assert.True(Fp2.Equal(a * (b + c), a * b + a * c));
            Assert.True(Fp2.Equal(Fp2.Square(a), a * a));
            Assert.True(Fp2.Equal(a * Fp2.Invert(a), Fp2.One));
            Assert.True(Fp2.Equal(Fp2.MulByNonResidue(a), a * new Fp2(Fp.One, Fp.One)));
            Assert.True(Fp2.Equal(Fp2.Conjugate(a), Fp2.PowVartime(a, PLimbs)));
            var sq = Fp2.Square(a);
            Assert.True(Fp2.TrySqrt(sq, out var root));
            Assert.True(Fp2.Equal(Fp2.Square(root), sq));
            Assert.Equal(Fp2.IsSquare(a), Fp2.TrySqrt(a, out _));

            // Every element of Fp is a square in Fp2, on the real or the imaginary axis.
            var real = new Fp2(a.C0, Fp.Zero);
            Assert.True(Fp2.TrySqrt(real, out var realRoot));
            Assert.True(Fp2.Equal(Fp2.Square(realRoot), real));
        }

        Assert.True(Fp2.TrySqrt(Fp2.Zero, out var zeroRoot) && zeroRoot.IsZero);
        Assert.True(Fp2.TrySqrt(Fp2.Neg(Fp2.One), out var minusOneRoot) && Fp2.Equal(Fp2.Square(minusOneRoot), Fp2.Neg(Fp2.One)));
    }

    [Fact]
    public void Fp6_and_Fp12_satisfy_the_field_laws()
    {
        var rng = new Random(2);
        for (var i = 0; i < 20; i++)
        {
            var a = Oracle.RandomFp6(rng);
            var b = Oracle.RandomFp6(rng);
            var c = Oracle.RandomFp6(rng);
            Assert.True(Fp6.Equal(a * (b + c), a * b + a * c));
            Assert.True(Fp6.Equal(a * b * c, a * (b * c)));
            Assert.True(Fp6.Equal(Fp6.Square(a), a * a));
            Assert.True(Fp6.Equal(a * Fp6.Invert(a), Fp6.One));
            var v = new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero);
            Assert.True(Fp6.Equal(Fp6.MulByV(a), a * v));
            Assert.True(Fp6.Equal(Fp6.MulBy01(a, b.C0, b.C1), a * new Fp6(b.C0, b.C1, Fp2.Zero)));
            Assert.True(Fp6.Equal(Fp6.MulBy1(a, b.C1), a * new Fp6(Fp2.Zero, b.C1, Fp2.Zero)));

            var x = Oracle.RandomFp12(rng);
            var y = Oracle.RandomFp12(rng);
            var z = Oracle.RandomFp12(rng);
            Assert.True(Fp12.Equal(x * y * z, x * (y * z)));
            Assert.True(Fp12.Equal(Fp12.Square(x), x * x));
            Assert.True(Fp12.Equal(x * Fp12.Invert(x), Fp12.One));
            var sparse = new Fp12(new Fp6(a.C0, a.C1, Fp2.Zero), new Fp6(Fp2.Zero, a.C2, Fp2.Zero));
            Assert.True(Fp12.Equal(Fp12.MulBy014(x, a.C0, a.C1, a.C2), x * sparse));
        }
    }

    [Fact]
    public void Lazy_Fp6_multiplication_matches_the_reduced_one_at_the_edges_of_its_bounds()
    {
        // The lazy form works on the stored limbs, so coordinates are drawn with stored values at the ends
        // of its ranges (0, 1, p − 1, p − 2, (p − 1)/2) as well as at random; any wrong coefficient in the
        // generated combinations shows here.
        var edges = new[] { BigInteger.Zero, BigInteger.One, Oracle.P - 1, Oracle.P - 2, (Oracle.P - 1) / 2 }.Select(Oracle.RawFp).ToArray();
        var rng = new Random(7);
        Fp Pick() => rng.Next(3) == 0 ? Oracle.RandomFp(rng) : edges[rng.Next(edges.Length)];
        Fp6 PickFp6() => new(new Fp2(Pick(), Pick()), new Fp2(Pick(), Pick()), new Fp2(Pick(), Pick()));
        for (var i = 0; i < 2000; i++)
        {
            var a = PickFp6();
            var b = PickFp6();
            Assert.True(Fp6.Equal(Fp6.MulLazy(a, b), Fp6.MulReference(a, b)));
        }
    }

    [Fact]
    public void Lazy_sparse_line_multiplication_matches_the_reduced_one_at_the_edges_of_its_bounds()
    {
        // As for Fp6: stored coordinates at the ends of their ranges and at random; a wrong coefficient or a
        // bias one p^2 too small in the generated combinations shows here.
        var edges = new[] { BigInteger.Zero, BigInteger.One, Oracle.P - 1, Oracle.P - 2, (Oracle.P - 1) / 2 }.Select(Oracle.RawFp).ToArray();
        var rng = new Random(8);
        Fp Pick() => rng.Next(3) == 0 ? Oracle.RandomFp(rng) : edges[rng.Next(edges.Length)];
        Fp2 PickFp2() => new(Pick(), Pick());
        Fp6 PickFp6() => new(PickFp2(), PickFp2(), PickFp2());
        for (var i = 0; i < 2000; i++)
        {
            var a = new Fp12(PickFp6(), PickFp6());
            var (c0, c1, c4) = (PickFp2(), PickFp2(), PickFp2());
            var expected = Fp12.MulBy014Reference(a, c0, c1, c4);
            Assert.True(Fp12.Equal(Fp12.MulBy014Lazy(a, c0, c1, c4), expected));
        }

        var ones = new Fp2(edges[2], edges[2]);
        var full = new Fp12(new Fp6(ones, ones, ones), new Fp6(ones, ones, ones));
        Assert.True(Fp12.Equal(Fp12.MulBy014Lazy(full, ones, ones, ones), Fp12.MulBy014Reference(full, ones, ones, ones)));
    }

    [Fact]
    public void Frobenius_is_the_p_power_map()
    {
        var rng = new Random(3);
        for (var i = 0; i < 3; i++)
        {
            var a = Oracle.RandomFp12(rng);
            Assert.True(Fp12.Equal(Fp12.Frobenius(a), Oracle.Pow(a, PLimbs)));
            var f = a;
            for (var k = 0; k < 6; k++)
            {
                f = Fp12.Frobenius(f);
            }

            Assert.True(Fp12.Equal(f, Fp12.Conjugate(a)));
        }
    }

    [Fact]
    public void Cyclotomic_squaring_matches_squaring_in_the_cyclotomic_subgroup()
    {
        var rng = new Random(4);
        var a = Oracle.RandomFp12(rng);
        // a^((p^6 - 1)(p^2 + 1)) lies in the cyclotomic subgroup.
        var t = Fp12.Conjugate(a) * Fp12.Invert(a);
        var g = Fp12.Frobenius(Fp12.Frobenius(t)) * t;
        Assert.True(Fp12.Equal(Fp12.CyclotomicSquare(g), Fp12.Square(g)));
    }
}
