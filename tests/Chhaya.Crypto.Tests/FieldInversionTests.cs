// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Crypto.Edwards;
using CsCheck;

namespace Chhaya.Crypto.Tests;

/// <summary>
/// The blinded and the variable-time field inversions against the Fermat inversion and a BigInteger oracle.
/// </summary>
public sealed class FieldInversionTests
{
    private static readonly BigInteger P = FieldElement.P;
    private const ulong Mask51 = (1UL << 51) - 1;

    /// <summary>Reduced values: uniform, near p, near 0, powers of two and their neighbours.</summary>
    private static readonly Gen<BigInteger> FieldValue = Gen.OneOf(
        Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % P),
        Gen.Int[1, 40].Select(i => P - i),
        Gen.Int[1, 40].Select(i => (BigInteger)i),
        Gen.Int[0, 254].Select(k => BigInteger.One << k),
        Gen.Int[1, 254].Select(k => (BigInteger.One << k) - 1),
        Gen.Int[0, 254].Select(k => ((BigInteger.One << k) + 1) % P));

    /// <summary>
    /// Elements as the representation allows them: reduced, or five arbitrary limbs below 2^54 (values up to
    /// about 2^258, so often ≥ p, and some ≡ 0), or an uncarried sum.
    /// </summary>
    private static readonly Gen<FieldElement> Element = Gen.OneOf(
        FieldValue.Select(FieldElement.FromBigInteger),
        Gen.Select(Gen.ULong[0, (1UL << 54) - 1], Gen.ULong[0, (1UL << 54) - 1], Gen.ULong[0, (1UL << 54) - 1], Gen.ULong[0, (1UL << 54) - 1], Gen.ULong[0, (1UL << 54) - 1])
            .Select((a, b, c, d, e) => FieldElement.FromLimbs(a, b, c, d, e)),
        Gen.Select(FieldValue, FieldValue).Select((a, b) => FieldElement.Add(FieldElement.FromBigInteger(a), FieldElement.FromBigInteger(b))));

    /// <summary>The value of an element's limbs as they are (not reduced), for the oracle.</summary>
    private static BigInteger RawValue(in FieldElement a)
    {
        Span<ulong> limbs = stackalloc ulong[5];
        a.WriteLimbs(limbs);
        BigInteger value = 0;
        for (var i = 4; i >= 0; i--)
        {
            value = (value << 51) + limbs[i];
        }

        return value;
    }

    private static BigInteger OracleInverse(BigInteger value) => BigInteger.ModPow(value % P, P - 2, P);

    private static void AssertLimbsBelow2To52(in FieldElement a)
    {
        Span<ulong> limbs = stackalloc ulong[5];
        a.WriteLimbs(limbs);
        foreach (var limb in limbs)
        {
            Assert.True(limb < (1UL << 52), $"limb {limb:x} not below 2^52");
        }
    }

    [Fact]
    public void Blinded_and_variable_time_inverses_match_Fermat_and_the_oracle()
    {
        Element.Sample(a =>
        {
            var value = RawValue(a) % P;
            var expected = OracleInverse(value);
            var blinded = FieldElement.InvertBlinded(a);
            var vartime = FieldElement.InvertVartime(a);
            Assert.Equal(expected, blinded.ToBigInteger());
            Assert.Equal(expected, vartime.ToBigInteger());
            Assert.Equal(expected, FieldElement.InvertFermat(a).ToBigInteger());
            AssertLimbsBelow2To52(blinded);
            AssertLimbsBelow2To52(vartime);
            if (!value.IsZero)
            {
                Assert.Equal(BigInteger.One, FieldElement.Mul(blinded, a).ToBigInteger());
                Assert.Equal(BigInteger.One, FieldElement.Mul(vartime, a).ToBigInteger());
            }
        }, iter: 3000);
    }

    [Fact]
    public void Zero_in_every_representation_maps_to_zero()
    {
        // 0, p and 2p as limbs (p = (2^51 − 19, 2^51 − 1, …)), and a difference that is 0 mod p.
        var p = FieldElement.FromLimbs(Mask51 - 18, Mask51, Mask51, Mask51, Mask51);
        var twoP = FieldElement.Add(p, p);
        var x = FieldElement.FromBigInteger(12345);
        var zeros = new[] { FieldElement.Zero, p, twoP, FieldElement.Sub(x, x), FieldElement.FromBigInteger(P) };
        foreach (var z in zeros)
        {
            Assert.True(FieldElement.InvertBlinded(z).IsZero());
            Assert.True(FieldElement.InvertVartime(z).IsZero());
            Assert.True(FieldElement.InvertFermat(z).IsZero());
        }
    }

    [Fact]
    public void Variable_time_inverse_is_right_on_structured_inputs()
    {
        // Inputs that stress the batches: long runs of zero bits (a run of 62 or more fills a whole batch of
        // divsteps with halvings), single bits at every limb boundary, all-ones patterns, values next to p and
        // next to powers of two, and numbers whose continued fractions are long (Fibonacci-like ratios).
        var cases = new List<BigInteger> { 1, 2, 3, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2, 19, P - 19, 121665, 121666 };
        for (var k = 0; k < 255; k++)
        {
            cases.Add(BigInteger.One << k);
            cases.Add(P - (BigInteger.One << k) % P);
            cases.Add((BigInteger.One << k) - 1);
        }

        BigInteger fa = 1, fb = 1;
        while (fb < P)
        {
            cases.Add(fb);
            (fa, fb) = (fb, fa + fb);
        }

        cases.Add(fa * 3 % P);
        for (var shift = 1; shift < 200; shift += 13)
        {
            cases.Add(fa >> shift);
        }

        foreach (var value in cases)
        {
            var reduced = (value % P + P) % P;
            if (reduced.IsZero)
            {
                continue;
            }

            var a = FieldElement.FromBigInteger(reduced);
            Assert.Equal(OracleInverse(reduced), FieldElement.InvertVartime(a).ToBigInteger());
            Assert.Equal(OracleInverse(reduced), FieldElement.InvertBlinded(a).ToBigInteger());
        }
    }

    [Fact]
    public void Blinding_factors_are_non_zero_canonical_and_spread_over_the_field()
    {
        const int draws = 3000;
        var seen = new HashSet<BigInteger>();
        var topBitSet = 0;
        for (var i = 0; i < draws; i++)
        {
            var s = FieldElement.RandomNonZero();
            var value = RawValue(s);
            Assert.True(value > 0 && value < P, "blinding factor outside [1, p − 1]");
            Assert.True(seen.Add(value), "a blinding factor repeated");
            topBitSet += (int)(value >> 254);
        }

        // Bit 254 is set with probability just below 1/2; 3000 draws land in [1300, 1700] except with
        // probability below 10^−12.
        Assert.InRange(topBitSet, 1300, 1700);
    }

    [Fact]
    public void Blinding_factor_range_test_accepts_exactly_1_to_p_minus_1()
    {
        static ulong Mask(BigInteger v)
        {
            Span<byte> b = stackalloc byte[32];
            b.Clear();
            v.TryWriteBytes(b, out _, isUnsigned: true);
            return FieldElement.InOpenRangeMask(
                BitConverter.ToUInt64(b), BitConverter.ToUInt64(b[8..]), BitConverter.ToUInt64(b[16..]), BitConverter.ToUInt64(b[24..]));
        }

        var max = (BigInteger.One << 255) - 1;
        var edges = new List<BigInteger> { 0, 1, 2, P - 2, P - 1, P, P + 1, max - 1, max, BigInteger.One << 254, (BigInteger.One << 64) - 1, BigInteger.One << 192 };
        for (var i = 0; i < 39; i++)
        {
            edges.Add(P - 20 + i); // up to P + 18 = 2^255 − 1, the largest 255-bit value
            edges.Add(P - (BigInteger.One << (64 + i)));
        }

        foreach (var v in edges)
        {
            Assert.Equal(v >= 1 && v < P ? ulong.MaxValue : 0UL, Mask(v));
        }

        Gen.Byte.Array[32].Sample(bytes =>
        {
            bytes[31] &= 0x7F;
            var v = new BigInteger(bytes, isUnsigned: true);
            Assert.Equal(v >= 1 && v < P ? ulong.MaxValue : 0UL, Mask(v));
        }, iter: 2000);
    }

    [Fact]
    public void Blinding_randomness_pool_hands_out_fresh_bytes_across_refills()
    {
        // 100 draws of 32 bytes cross three refills of the 1 KiB pool; every block must be new.
        var blocks = new HashSet<string>();
        Span<byte> block = stackalloc byte[32];
        for (var i = 0; i < 100; i++)
        {
            BlindingRandomness.Take(block);
            Assert.True(blocks.Add(Convert.ToHexString(block)), "a random block repeated");
        }

        // Short requests are served too; a request above 32 bytes is a programming error.
        Span<byte> small = stackalloc byte[7];
        BlindingRandomness.Take(small);
        Assert.Throws<ArgumentOutOfRangeException>(() => BlindingRandomness.Take(new byte[33]));
    }

    [Fact]
    public void Blinded_inverses_agree_on_the_same_input_across_calls()
    {
        // A fresh s each call must not change the result (s cancels).
        Gen.Select(FieldValue, Gen.Int[2, 6]).Sample((value, repeats) =>
        {
            var a = FieldElement.FromBigInteger(value);
            var first = FieldElement.InvertBlinded(a).ToBigInteger();
            for (var i = 0; i < repeats; i++)
            {
                Assert.Equal(first, FieldElement.InvertBlinded(a).ToBigInteger());
            }
        }, iter: 200);
    }
}
