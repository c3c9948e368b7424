// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Crypto.Edwards;
using CsCheck;

namespace Chhaya.Crypto.Tests;

/// <summary>The field, scalar and point code checked against a BigInteger oracle.</summary>
public sealed class EdwardsArithmeticTests
{
    private static readonly BigInteger P = FieldElement.P;

    private static readonly Gen<BigInteger> FieldValue = Gen.OneOf(
        Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % P),
        Gen.Int[0, 40].Select(i => (P - 20 + i) % P),
        Gen.Int[0, 5].Select(i => (BigInteger)i));

    [Fact]
    public void Field_operations_match_the_oracle()
    {
        Gen.Select(FieldValue, FieldValue).Sample((a, b) =>
        {
            var fa = FieldElement.FromBigInteger(a);
            var fb = FieldElement.FromBigInteger(b);
            Assert.Equal((a + b) % P, FieldElement.Add(fa, fb).ToBigInteger());
            Assert.Equal(((a - b) % P + P) % P, FieldElement.Sub(fa, fb).ToBigInteger());
            Assert.Equal(a * b % P, FieldElement.Mul(fa, fb).ToBigInteger());
            Assert.Equal(a * a % P, FieldElement.Square(fa).ToBigInteger());
            Assert.Equal(BigInteger.ModPow(a, P - 2, P), FieldElement.InvertFermat(fa).ToBigInteger());
            Assert.Equal(BigInteger.ModPow(a, (P - 5) / 8, P), FieldElement.Pow22523(fa).ToBigInteger());

            // Aliasing and chained operations without intermediate full reduction.
            var chained = FieldElement.Mul(FieldElement.Add(fa, fa), FieldElement.Sub(fb, fa));
            Assert.Equal(((2 * a * (b - a)) % P + P) % P, chained.ToBigInteger());
        }, iter: 500);
    }

    [Fact]
    public void Field_operations_accept_unreduced_sums_and_match_the_oracle()
    {
        // Add skips the carry round, so products, squares and differences of sums see limbs up to 2^53.
        Gen.Select(FieldValue, FieldValue, FieldValue, FieldValue, Gen.ULong[0, (1UL << 20) - 1]).Sample((a, b, c, d, k) =>
        {
            var fa = FieldElement.FromBigInteger(a);
            var fb = FieldElement.FromBigInteger(b);
            var fc = FieldElement.FromBigInteger(c);
            var fd = FieldElement.FromBigInteger(d);
            var ab = FieldElement.Add(fa, fb);
            var cd = FieldElement.Add(fc, fd);
            Assert.Equal((a + b) * (c + d) % P, FieldElement.Mul(ab, cd).ToBigInteger());
            Assert.Equal((a + b) * (a + b) % P, FieldElement.Square(ab).ToBigInteger());
            Assert.Equal((((a + b) - (c + d)) % P + P) % P, FieldElement.Sub(ab, cd).ToBigInteger());
            Assert.Equal((a + b) * k % P, FieldElement.MulSmall(ab, k).ToBigInteger());
            Assert.Equal((a + b) % P, ab.ToBigInteger());

            var x = fa;
            var y = fb;
            FieldElement.ConditionalSwap(0, ref x, ref y);
            Assert.Equal((a, b), (x.ToBigInteger(), y.ToBigInteger()));
            FieldElement.ConditionalSwap(ulong.MaxValue, ref x, ref y);
            Assert.Equal((b, a), (x.ToBigInteger(), y.ToBigInteger()));
        }, iter: 1000);
    }

    [Fact]
    public void Branch_free_carries_match_128_bit_arithmetic()
    {
        var edge = Gen.OneOf(Gen.ULong, Gen.Const(0UL), Gen.Const(1UL), Gen.Const(ulong.MaxValue), Gen.Const(1UL << 63), Gen.Const((1UL << 63) - 1));
        Gen.Select(edge, edge, edge, edge).Sample((a, b, c, d) =>
        {
            Assert.Equal((ulong)(((UInt128)a + b) >> 64), Wide.CarryOut(a, b, a + b));
            Assert.Equal(a < b ? 1UL : 0UL, Wide.BorrowOut(a, b, a - b));
            var expected = ((UInt128)a * b) + c + d;
            Assert.Equal(((ulong)(expected >> 64), (ulong)expected), Wide.MulAddAdd(a, b, c, d));
        }, iter: 2000);
    }

    [Fact]
    public void Field_decoding_of_non_canonical_values_is_detected()
    {
        var p = new byte[32];
        P.TryWriteBytes(p, out _, isUnsigned: true);
        Assert.False(FieldElement.IsCanonical(p));
        var pMinus1 = (byte[])p.Clone();
        pMinus1[0]--;
        Assert.True(FieldElement.IsCanonical(pMinus1));
        var max = Enumerable.Repeat((byte)0xff, 32).ToArray();
        Assert.False(FieldElement.IsCanonical(max));
        Assert.Equal(18, FieldElement.FromBytes(max).ToBigInteger());
        Assert.Equal(P - 1, FieldElement.Square(FieldElement.SqrtMinusOne).ToBigInteger());
    }

    [Fact]
    public void Scalar_reduction_and_muladd_match_the_oracle()
    {
        var l = Scalar.L;
        Gen.Select(Gen.Byte.Array[64], Gen.Byte.Array[16], Gen.Byte.Array[32]).Sample((wide, c16, xBytes) =>
        {
            var reduced = new byte[32];
            Scalar.Reduce512(wide, reduced);
            Assert.Equal(new BigInteger(wide, isUnsigned: true) % l, new BigInteger(reduced, isUnsigned: true));

            var c = new byte[32];
            c16.CopyTo(c, 0);
            var result = new byte[32];
            Scalar.MulAdd(c, xBytes, reduced, result);
            var expected = (new BigInteger(reduced, isUnsigned: true) + (new BigInteger(c, isUnsigned: true) * new BigInteger(xBytes, isUnsigned: true))) % l;
            Assert.Equal(expected, new BigInteger(result, isUnsigned: true));
        }, iter: 500);

        var allOnes = Enumerable.Repeat((byte)0xff, 64).ToArray();
        var r = new byte[32];
        Scalar.Reduce512(allOnes, r);
        Assert.Equal(((BigInteger.One << 512) - 1) % l, new BigInteger(r, isUnsigned: true));
    }

    [Fact]
    public void Scalar_multiplication_matches_repeated_addition_and_the_group_order()
    {
        var b = EdwardsPoint.Base;
        var acc = EdwardsPoint.Identity;
        for (var k = 0; k < 40; k++)
        {
            var scalar = new byte[32];
            scalar[0] = (byte)k;
            Assert.True(EdwardsPoint.Equal(acc, EdwardsPoint.ScalarMulBase(scalar)), $"k = {k}");
            acc = EdwardsPoint.Add(acc, b);
        }

        var order = new byte[32];
        Scalar.L.TryWriteBytes(order, out _, isUnsigned: true);
        Assert.True(EdwardsPoint.ScalarMulBase(order).IsIdentity());
        Assert.False(b.IsSmallOrder());

        // (a + b)·B = a·B + b·B for random a, b below 2^255.
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((x, y) =>
        {
            x[31] &= 0x3f;
            y[31] &= 0x3f;
            var sum = (new BigInteger(x, isUnsigned: true) + new BigInteger(y, isUnsigned: true)).ToByteArray(isUnsigned: true);
            var s = new byte[32];
            sum.CopyTo(s, 0);
            var left = EdwardsPoint.ScalarMulBase(s);
            var right = EdwardsPoint.Add(EdwardsPoint.ScalarMulBase(x), EdwardsPoint.ScalarMulBase(y));
            Assert.True(EdwardsPoint.Equal(left, right));
            Assert.Equal(left.Encode(), right.Encode());
            Assert.True(EdwardsPoint.TryDecode(left.Encode(), out var decoded));
            Assert.True(EdwardsPoint.Equal(left, decoded));

            // The verifier's variable-time [x]B + [y]P agrees with the constant-time path.
            var p = EdwardsPoint.ScalarMulBase(y);
            var joint = EdwardsPoint.DoubleScalarMulVartime(x, EdwardsPoint.Base, y, p);
            Assert.True(EdwardsPoint.Equal(EdwardsPoint.Add(EdwardsPoint.ScalarMulBase(x), EdwardsPoint.ScalarMul(y, p)), joint));
        }, iter: 30);
    }

    [Fact]
    public void The_small_order_encoding_list_is_exactly_the_points_of_order_dividing_8()
    {
        string[] ys =
        [
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        ];
        var decoded = 0;
        foreach (var hex in ys)
        {
            foreach (var sign in new byte[] { 0, 0x80 })
            {
                var enc = Convert.FromHexString(hex);
                enc[31] |= sign;
                if (EdwardsPoint.TryDecode(enc, out var point))
                {
                    decoded++;
                    Assert.True(point.IsSmallOrder(), hex);
                    Assert.True(Ed25519Encoding.IsSmallOrderEncoding(enc));
                }
            }
        }

        // 8 points: identity and order 2 have x = 0 (the sign-bit variant is refused), the others two signs each.
        Assert.Equal(8, decoded);
    }

    [Fact]
    public void Decoding_refuses_x_zero_with_sign_bit_and_points_off_the_curve()
    {
        var negZero = Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000080");
        Assert.False(EdwardsPoint.TryDecode(negZero, out _));
        var y2 = new byte[32];
        y2[0] = 2; // y = 2 has no x on edwards25519
        Assert.False(EdwardsPoint.TryDecode(y2, out _));
    }
}
