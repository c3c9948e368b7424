// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;
using Chhaya.Bls.Pairing;
using CsCheck;

namespace Chhaya.Bls.Tests.Fields;

/// <summary>
/// The lazy Fp4 squaring, Karabina's compressed squaring and its batched decompression, each against the
/// plain arithmetic it replaces, on random and edge inputs and on real cyclotomic elements.
/// </summary>
public class CyclotomicTests
{
    private static readonly Gen<Fp> FpValue = Oracle.FieldValue.Select(Oracle.ToFp);

    private static readonly Gen<Fp2> Fp2Value = Gen.Select(FpValue, FpValue, (a, b) => new Fp2(a, b));

    /// <summary>Cyclotomic elements: the easy part of the final exponentiation applied to Miller-loop outputs.</summary>
    internal static Fp12 CyclotomicElement(ulong a, ulong b)
    {
        var p = G1Projective.MulVartime(G1.Generator, a);
        var q = G2Projective.MulVartime(G2.Generator, b);
        return EasyPart(Pairings.MultiMillerLoop([p], [q]));
    }

    internal static Fp12 EasyPart(in Fp12 f)
    {
        var t = Fp12.Conjugate(f) * Fp12.Invert(f);
        return Fp12.Frobenius(Fp12.Frobenius(t)) * t;
    }

    [Fact]
    public void Wide_sums_match_the_oracle_up_to_their_documented_bounds() =>
        Gen.Select(Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue).Sample(
            (a, b, c, d, e, g) =>
            {
                // Each product has one factor below 2p (an unreduced sum) and one reduced: below 2p^2.
                var x = Fp.MulWide(Fp.AddUnreduced(Oracle.ToFp(a), Oracle.ToFp(b)), Oracle.ToFp(c));
                var y = Fp.MulWide(Fp.AddUnreduced(Oracle.ToFp(c), Oracle.ToFp(d)), Oracle.ToFp(e));
                var z = Fp.MulWide(Fp.AddUnreduced(Oracle.ToFp(e), Oracle.ToFp(g)), Oracle.ToFp(a));
                var xv = (a + b) * c;
                var yv = (c + d) * e;
                var zv = (e + g) * a;
                return Oracle.FromFp(Fp.MontgomeryReduce(FpWide.Add3(x, y, z))) == Oracle.Mod(xv + yv + zv)
                    && Oracle.FromFp(Fp.MontgomeryReduce(FpWide.AddSubAdd2P2(x, y, z))) == Oracle.Mod(xv + yv - zv);
            });

    [Fact]
    public void Lazy_Fp4_squaring_matches_the_reduced_one() =>
        Gen.Select(Fp2Value, Fp2Value).Sample((a, b) =>
        {
            Fp4.Square(a, b, out var c0, out var c1);
            Fp4.SquareReference(a, b, out var r0, out var r1);
            return Fp2.Equal(c0, r0) && Fp2.Equal(c1, r1);
        });

    [Fact]
    public void Lazy_Fp4_squaring_matches_on_the_extreme_values()
    {
        // p - 1 in every coordinate makes every product and every wide sum as large as it can be.
        Fp[] edges = [Fp.Zero, Fp.One, Oracle.ToFp(Oracle.P - 1), Oracle.ToFp(Oracle.P - 2), Oracle.ToFp((Oracle.P - 1) / 2)];
        foreach (var a0 in edges)
        {
            foreach (var a1 in edges)
            {
                foreach (var b0 in edges)
                {
                    foreach (var b1 in edges)
                    {
                        Fp4.Square(new Fp2(a0, a1), new Fp2(b0, b1), out var c0, out var c1);
                        Fp4.SquareReference(new Fp2(a0, a1), new Fp2(b0, b1), out var r0, out var r1);
                        Assert.True(Fp2.Equal(c0, r0) && Fp2.Equal(c1, r1));
                    }
                }
            }
        }
    }

    [Fact]
    public void Fused_recombinations_match_the_plain_additions() =>
        Gen.Select(Fp2Value, Fp2Value).Sample((c, z) =>
            Fp2.Equal(CompressedFp12.ThriceMinusTwice(c, z), CompressedFp12.ThriceMinusTwiceReference(c, z))
            && Fp2.Equal(CompressedFp12.ThricePlusTwice(c, z), CompressedFp12.ThricePlusTwiceReference(c, z))
            && Fp2.Equal(CompressedFp12.ThriceXiPlusTwice(c, z), CompressedFp12.ThriceXiPlusTwiceReference(c, z)));

    [Fact]
    public void Fused_recombinations_match_the_oracle_on_the_extreme_values()
    {
        // 0 and p - 1 give the smallest and largest intermediate sums (0 and just under 8p).
        BigInteger[] edges = [0, 1, Oracle.P - 1, Oracle.P - 2, (Oracle.P - 1) / 2, (Oracle.P + 1) / 2];
        foreach (var x in edges)
        {
            foreach (var y in edges)
            {
                foreach (var z in edges)
                {
                    var (fx, fy, fz) = (Oracle.ToFp(x), Oracle.ToFp(y), Oracle.ToFp(z));
                    // Limb equality with the canonical value: the result must be fully reduced, not just congruent.
                    Assert.True(Fp.Equal(Oracle.ToFp(Oracle.Mod((3 * x) - (2 * z))), Fp.ThriceMinusTwice(fx, fz)));
                    Assert.True(Fp.Equal(Oracle.ToFp(Oracle.Mod((3 * x) + (2 * z))), Fp.ThricePlusTwice(fx, fz)));
                    Assert.True(Fp.Equal(Oracle.ToFp(Oracle.Mod((3 * (x - y)) + (2 * z))), Fp.ThriceDifferencePlusTwice(fx, fy, fz)));
                    Assert.True(Fp.Equal(Oracle.ToFp(Oracle.Mod((3 * (x + y)) + (2 * z))), Fp.ThriceSumPlusTwice(fx, fy, fz)));
                }
            }
        }
    }

    [Fact]
    public void Fp4_reference_squaring_is_squaring_in_Fp4()
    {
        // (a + b·s)^2 with s^2 = ξ, written out with Fp2 multiplications.
        var rng = new Random(11);
        for (var i = 0; i < 20; i++)
        {
            var a = Oracle.RandomFp2(rng);
            var b = Oracle.RandomFp2(rng);
            Fp4.SquareReference(a, b, out var c0, out var c1);
            Assert.True(Fp2.Equal(c0, a * a + Fp2.MulByNonResidue(b * b)));
            Assert.True(Fp2.Equal(c1, Fp2.Double(a * b)));
        }
    }

    [Fact]
    public void Cyclotomic_squaring_matches_Fp12_squaring_on_cyclotomic_elements()
    {
        for (var k = 0UL; k < 4; k++)
        {
            var g = CyclotomicElement(3 + k, 5 + (7 * k));
            for (var i = 0; i < 5; i++)
            {
                var square = Fp12.Square(g);
                Assert.True(Fp12.Equal(Fp12.CyclotomicSquare(g), square));
                g = square;
            }
        }

        // A random element after the easy part, not a pairing value.
        var random = EasyPart(Oracle.RandomFp12(new Random(12)));
        Assert.True(Fp12.Equal(Fp12.CyclotomicSquare(random), Fp12.Square(random)));
        Assert.True(Fp12.Equal(Fp12.CyclotomicSquare(Fp12.One), Fp12.One));
    }

    [Fact]
    public void Cyclotomic_squaring_differs_from_squaring_off_the_subgroup()
    {
        // Shows the cyclotomic tests above can fail: the shortcut is wrong for a general element.
        var a = Oracle.RandomFp12(new Random(13));
        Assert.False(Fp12.Equal(Fp12.CyclotomicSquare(a), Fp12.Square(a)));
    }

    [Fact]
    public void Compressed_squarings_decompress_to_the_repeated_squares()
    {
        var g = CyclotomicElement(11, 13);
        var compressed = CompressedFp12.Compress(g);
        var expected = g;
        var batch = new CompressedFp12[6];
        var batchExpected = new Fp12[6];
        for (var i = 1; i <= 30; i++)
        {
            compressed = CompressedFp12.Square(compressed);
            expected = Fp12.Square(expected);
            Fp12[] one = [default];
            Assert.True(CompressedFp12.TryDecompressVartime([compressed], one));
            Assert.True(Fp12.Equal(one[0], expected));
            if (i % 5 == 0)
            {
                batch[(i / 5) - 1] = compressed;
                batchExpected[(i / 5) - 1] = expected;
            }
        }

        var all = new Fp12[6];
        Assert.True(CompressedFp12.TryDecompressVartime(batch, all));
        for (var i = 0; i < 6; i++)
        {
            Assert.True(Fp12.Equal(all[i], batchExpected[i]));
        }
    }

    [Fact]
    public void Decompression_refuses_an_element_with_g2_and_g3_zero()
    {
        var results = new Fp12[2];
        Assert.False(CompressedFp12.TryDecompressVartime([CompressedFp12.Compress(CyclotomicElement(2, 3)), CompressedFp12.Compress(Fp12.One)], results));
        Assert.True(CompressedFp12.TryDecompressVartime([], results));
    }

    /// <summary>
    /// A cyclotomic element with g2 = 0 (and g3 ≠ 0), where decompression must take the g3 route. Found
    /// with a big-integer model of the tower (src/Chhaya.Bls/Fields/Generator/cyclotomic_g2_zero.py): for
    /// x = x1 + t·x2, the coefficient g2 of x^((p^6 − 1)(p^2 + 1)) is a polynomial in t (after clearing
    /// the denominator) of degree 12, and one of its roots in Fp2 gives this element. The test checks
    /// that it is cyclotomic rather than trusting the script.
    /// </summary>
    private static Fp12 ElementWithG2Zero => new(
        new Fp6(
            Fp2.FromHex(
                "0x12ce3f6d7649c138a5c5761455c10eb5e34638d92c988b3aeffc7a19c5e019c64b15ca1a5efe75663e253d8ff281b068",
                "0x03c93f0091eba157782361bdd0f7ace2dd2979f2fe20a54a7d7cb1ed77f7fe8e922dc0d401b8194ae8079e1a25e5783d"),
            Fp2.FromHex(
                "0x001fb144c76bcd262817ab9dbb2fee9929e28b323fb1b22dc64c402b44f51b343d3e70c35008dd55197c506cb6ab0ff5",
                "0x109cec5b5c5b491a3f2c8c8001f711d69e70f630f149a3df80ed3742d0deb978774c8cabe3b9f805f9b1b03004c88425"),
            Fp2.FromHex(
                "0x0aa144ffbf72366dc3fbf8503c49728a1243c86b239a5b0a6a8c7a9aab31c7291a11170c2fadb690be9f6ad54522a19b",
                "0x0a224cbb0b12098a069f1b208a7be16b063aab1f884658b19a7d9ac4e30a5eddb8850959909319c75c90bb37cb9351cb")),
        new Fp6(
            Fp2.Zero,
            Fp2.FromHex(
                "0x046c4f54ae07c1828b855e7c194e9befdb6a8e83dbf2d96e2663b4da725f1a4c3401622b04f02132dbe2a5854f35473e",
                "0x16637e57c8522d8d21893b8989d824ce11c581dd345cedff9e6e36bef7aca587701e384cf8b11ab520981264e5d0b285"),
            Fp2.FromHex(
                "0x0b0e7be9a2f8ec1f392fe6d0aee30feabe966cfe7a93ada0b7247fd3c13b3089de7a39ce38606f2d99a727fd2a95adf1",
                "0x0fdf5ea555d57b50a6855e2fb3279b1b7dc5d92badd59655d2e93453557cd47548d3e18e427e83c92f2c120709632d34")));

    [Fact]
    public void An_element_with_g2_zero_decompresses_through_g3()
    {
        var g = ElementWithG2Zero;
        Assert.True(g.C1.C0.IsZero);
        Assert.False(g.C0.C2.IsZero);

        // Cyclotomic: g^(p^4 - p^2 + 1) = 1, i.e. π^4(g)·g = π^2(g).
        var frobenius2 = Fp12.Frobenius(Fp12.Frobenius(g));
        Assert.True(Fp12.Equal(Fp12.Frobenius(Fp12.Frobenius(frobenius2)) * g, frobenius2));
        Assert.False(g.IsOne);

        // In one batch with an element that takes the g2 route.
        var other = CyclotomicElement(23, 29);
        var results = new Fp12[2];
        Assert.True(CompressedFp12.TryDecompressVartime([CompressedFp12.Compress(g), CompressedFp12.Compress(other)], results));
        Assert.True(Fp12.Equal(results[0], g));
        Assert.True(Fp12.Equal(results[1], other));

        Assert.True(Fp12.Equal(Fp12.CyclotomicSquare(g), Fp12.Square(g)));
        Assert.True(Fp12.Equal(FinalExponentiation.ExpByZ(g), FinalExponentiation.ExpByZUncompressed(g)));
    }

    [Fact]
    public void Exponentiation_by_z_matches_the_uncompressed_one_and_plain_powering()
    {
        var absZ = new[] { G1.AbsZ };
        for (var k = 0UL; k < 3; k++)
        {
            var g = CyclotomicElement(17 + k, 19 + k);
            var expected = Fp12.Conjugate(Oracle.Pow(g, absZ));
            Assert.True(Fp12.Equal(FinalExponentiation.ExpByZ(g), expected));
            Assert.True(Fp12.Equal(FinalExponentiation.ExpByZUncompressed(g), expected));
        }

        // The identity cannot be decompressed, so it takes the fallback.
        Assert.True(FinalExponentiation.ExpByZ(Fp12.One).IsOne);
    }

    internal static ulong[] Limbs(BigInteger e) => Oracle.ToLimbs(e, (int)((e.GetBitLength() + 63) / 64));
}
