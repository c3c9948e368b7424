// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using System.Runtime.Intrinsics;
using Chhaya.Crypto.Edwards;
using CsCheck;

namespace Chhaya.Crypto.Tests;

/// <summary>
/// The four-way AVX2 ladder: <see cref="FieldElement4"/>'s product against <see cref="FieldElement.Mul"/> and
/// the BigInteger oracle (random values, limbs at the top of the range the multiplication accepts, the sums
/// and differences the ladder feeds it), and the whole ladder against the radix-2^51 ladder
/// (<see cref="MontgomeryLadder.ScalarMultPortable"/>) on random, non-canonical and low-order inputs, every
/// Wycheproof public key and the RFC 7748 §5.2 vectors. DEBUG builds also assert the limb bounds inside every
/// multiplication.
/// </summary>
public sealed class X25519VectorLadderTests
{
    private static readonly BigInteger P = FieldElement.P;

    /// <summary>Exclusive bound on the limbs a multiplication accepts.</summary>
    private const ulong Bound = FieldElement4.MulInputBound;

    private static readonly Gen<BigInteger> Elements = Gen.OneOf(
        Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % P),
        Gen.Int[0, 40].Select(i => (P - 20 + i) % P),
        Gen.Int[0, 3].Select(i => (BigInteger)i));

    /// <summary>A limb below <see cref="Bound"/>, often at or near the top of the range.</summary>
    private static readonly Gen<ulong> Limbs = Gen.OneOf(
        Gen.Const(Bound - 1),
        Gen.ULong[Bound - (1UL << 20), Bound - 1],
        Gen.ULong[0, Bound - 1],
        Gen.Const(0UL));

    private static readonly string[] LowOrder =
    [
        "0000000000000000000000000000000000000000000000000000000000000000", // 0
        "0100000000000000000000000000000000000000000000000000000000000000", // 1
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p − 1 (order 2)
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p ≡ 0
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p + 1 ≡ 1
        "0000000000000000000000000000000000000000000000000000000000000080", // 0, bit 255 set
        "0100000000000000000000000000000000000000000000000000000000000080", // 1, bit 255 set
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880", // order 8, bit 255 set
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // p − 1, bit 255 set
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // p + 1, bit 255 set
    ];

    [Avx2Fact]
    public void Four_way_product_matches_the_field_multiplication_and_squaring_on_random_elements()
    {
        Gen.Select(Elements.Array[4], Elements.Array[4]).Sample((xs, ys) =>
        {
            var a = Load(xs);
            var b = Load(ys);
            var r = FieldElement4.Mul(a, b);
            for (var lane = 0; lane < 4; lane++)
            {
                var expected = FieldElement.Mul(FieldElement.FromBigInteger(xs[lane]), FieldElement.FromBigInteger(ys[lane]));
                Assert.Equal(expected.ToBigInteger(), r.GetLane(lane).ToBigInteger());
                Assert.Equal(xs[lane] * ys[lane] % P, r.GetLane(lane).ToBigInteger());
            }

            AssertCarried(r);

            // Squaring is the same product with both operands equal.
            var squared = FieldElement4.Mul(a, a);
            for (var lane = 0; lane < 4; lane++)
            {
                var expected = FieldElement.Square(FieldElement.FromBigInteger(xs[lane]));
                Assert.Equal(expected.ToBigInteger(), squared.GetLane(lane).ToBigInteger());
            }

            // The output may be one of the inputs: every input limb is read before the first store.
            var scratch = default(FieldElement4);
            FieldElement4.Mul(a, b, ref scratch, ref a);
            Assert.Equal(Values(r), Values(a));
        }, iter: 300);
    }

    [Avx2Fact]
    public void Four_way_product_takes_limbs_at_the_top_of_their_range()
    {
        // Every limb of both operands at the largest value allowed: the largest column sums there are.
        var top = new ulong[40];
        Array.Fill(top, Bound - 1);
        CheckRaw(top, top);

        Gen.Select(Limbs.Array[40], Limbs.Array[40]).Sample(CheckRaw, iter: 500);
    }

    [Avx2Fact]
    public void Four_way_products_of_the_ladders_sums_and_differences_match_the_oracle()
    {
        // The ladder multiplies carried values (products), their sums, and a + 2p − b of carried a and b.
        Gen.Select(Elements.Array[4], Elements.Array[4], Elements.Array[4]).Sample((xs, ys, zs) =>
        {
            var x = FieldElement4.Mul(Load(xs), Load(ys)); // carried: x·y
            var y = FieldElement4.Mul(Load(ys), Load(zs)); // carried: y·z
            var sum = default(FieldElement4);
            var difference = default(FieldElement4);
            for (var i = 0; i < FieldElement4.Limbs; i++)
            {
                var twoP = i == 0 ? FieldElement4.TwoP0 : (i & 1) == 0 ? FieldElement4.TwoPEven : FieldElement4.TwoPOdd;
                sum[i] = x[i] + y[i];
                difference[i] = x[i] + Vector256.Create(twoP) - y[i];
            }

            var r = FieldElement4.Mul(sum, difference);
            var squared = FieldElement4.Mul(difference, difference);
            for (var lane = 0; lane < 4; lane++)
            {
                var xv = xs[lane] * ys[lane] % P;
                var yv = ys[lane] * zs[lane] % P;
                var d = ((xv - yv) % P + P) % P;
                Assert.Equal((xv + yv) * d % P, r.GetLane(lane).ToBigInteger());
                Assert.Equal(d * d % P, squared.GetLane(lane).ToBigInteger());
            }
        }, iter: 300);
    }

    [Avx2Fact]
    public void Repeated_four_way_squaring_matches_modular_exponentiation()
    {
        var xs = new[] { (BigInteger)9, P - 1, P - 2, (BigInteger.One << 254) + 12345 };
        var a = Load(xs);
        for (var n = 1; n <= 200; n++)
        {
            a = FieldElement4.Mul(a, a);
        }

        var exponent = BigInteger.One << 200;
        for (var lane = 0; lane < 4; lane++)
        {
            Assert.Equal(BigInteger.ModPow(xs[lane], exponent, P), a.GetLane(lane).ToBigInteger());
        }
    }

    [Avx2Fact]
    public void Vector_ladder_matches_the_portable_ladder_on_random_inputs()
    {
        // u anywhere in 32 bytes (bit 255 set or not, values ≥ p included), and u just above p.
        var us = Gen.OneOf(
            Gen.Byte.Array[32],
            Gen.Int[0, 18].Select(i => Encode(P + i)),
            Gen.Int[0, 18].Select(i => Encode((BigInteger.One << 255) - 1 - i)));
        Gen.Select(Gen.Byte.Array[32], us).Sample((k, u) => Assert.Equal(Portable(k, u), Vector(k, u)), iter: 300);
    }

    [Avx2Fact]
    public void Vector_ladder_gives_zero_on_low_order_points_like_the_portable_ladder()
    {
        Gen.Byte.Array[32].Sample(k =>
        {
            foreach (var hex in LowOrder)
            {
                var u = Convert.FromHexString(hex);
                var expected = Portable(k, u);
                Assert.Equal(new byte[32], expected);
                Assert.Equal(expected, Vector(k, u));
            }
        }, iter: 20);
    }

    [Avx2Fact]
    public void Vector_ladder_gives_every_wycheproof_shared_secret()
    {
        using var doc = VectorFile.Load("wycheproof", "x25519_test.json");
        var count = 0;
        foreach (var (_, test) in VectorFile.WycheproofCases(doc))
        {
            var k = test.Hex("private");
            var u = test.Hex("public");
            var expected = test.Hex("shared");
            if (u.Length != 32 || k.Length != 32 || expected.Length != 32)
            {
                continue;
            }

            Assert.Equal(expected, Vector(k, u));
            Assert.Equal(expected, Portable(k, u));
            count++;
        }

        Assert.Equal(518, count);
    }

    [Avx2Fact]
    public void Vector_ladder_matches_RFC7748_section_5_2()
    {
        Assert.Equal(
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
            Convert.ToHexStringLower(Vector(
                Convert.FromHexString("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                Convert.FromHexString("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))));
        Assert.Equal(
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
            Convert.ToHexStringLower(Vector(
                Convert.FromHexString("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                Convert.FromHexString("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))));

        // The iterated function: k ← X25519(k, u), u ← old k, starting from k = u = 9.
        var k = new byte[32];
        k[0] = 9;
        var u = (byte[])k.Clone();
        for (var i = 1; i <= 1000; i++)
        {
            var next = Vector(k, u);
            k.CopyTo(u, 0);
            next.CopyTo(k, 0);
            if (i == 1)
            {
                Assert.Equal("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", Convert.ToHexStringLower(k));
            }
        }

        Assert.Equal("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", Convert.ToHexStringLower(k));
    }

    [Fact]
    public void ScalarMult_agrees_with_the_portable_ladder_on_any_processor()
    {
        // Whichever ladder ScalarMult picks (the four-way one where AVX2 is present), it gives the same bytes.
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((k, u) =>
        {
            var output = new byte[32];
            MontgomeryLadder.ScalarMult(k, u, output);
            Assert.Equal(Portable(k, u), output);
        }, iter: 100);
    }

    private static byte[] Portable(byte[] k, byte[] u)
    {
        var output = new byte[32];
        MontgomeryLadder.ScalarMultPortable(k, u, output);
        return output;
    }

    private static byte[] Vector(byte[] k, byte[] u)
    {
        var clamped = (byte[])k.Clone();
        MontgomeryLadder.Clamp(clamped);
        var output = new byte[32];
        VectorLadder.ScalarMult(clamped, u, output);
        return output;
    }

    private static byte[] Encode(BigInteger value)
    {
        var bytes = new byte[32];
        Assert.True(value.TryWriteBytes(bytes, out _, isUnsigned: true));
        return bytes;
    }

    private static FieldElement4 Load(BigInteger[] values)
    {
        var r = default(FieldElement4);
        for (var lane = 0; lane < 4; lane++)
        {
            r.SetLane(lane, FieldElement.FromBigInteger(values[lane]));
        }

        return r;
    }

    private static BigInteger[] Values(in FieldElement4 a) =>
        [a.GetLane(0).ToBigInteger(), a.GetLane(1).ToBigInteger(), a.GetLane(2).ToBigInteger(), a.GetLane(3).ToBigInteger()];

    /// <summary>Σ limb_i · 2^⌈25.5·i⌉ of one lane of raw lane-major limbs.</summary>
    private static BigInteger RawValue(ulong[] laneMajor, int lane)
    {
        var value = BigInteger.Zero;
        for (var i = 0; i < FieldElement4.Limbs; i++)
        {
            value += (BigInteger)laneMajor[(lane * FieldElement4.Limbs) + i] << FieldElement4.Position(i);
        }

        return value;
    }

    private static void CheckRaw(ulong[] x, ulong[] y)
    {
        var r = FieldElement4.Mul(FieldElement4.FromRawLimbs(x), FieldElement4.FromRawLimbs(y));
        AssertCarried(r);
        for (var lane = 0; lane < 4; lane++)
        {
            Assert.Equal(RawValue(x, lane) * RawValue(y, lane) % P, r.GetLane(lane).ToBigInteger());
        }
    }

    /// <summary>The output bound every multiplication promises: even limbs below 2^26, odd below 2^25 + 2^18.</summary>
    private static void AssertCarried(in FieldElement4 r)
    {
        for (var i = 0; i < FieldElement4.Limbs; i++)
        {
            var bound = (i & 1) == 0 ? 1UL << 26 : (1UL << 25) + (1UL << 18);
            for (var lane = 0; lane < 4; lane++)
            {
                Assert.True(r[i].GetElement(lane) < bound, $"limb {i} lane {lane} = {r[i].GetElement(lane)} out of range");
            }
        }
    }
}
