// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Crypto.Edwards;
using CsCheck;

namespace Chhaya.Crypto.Tests;

/// <summary>
/// The ladder's uncarried subtraction against the BigInteger oracle at its bounds, and the iterated X25519
/// function of RFC 7748 §5.2, which runs every ladder path (both swap masks, every bit pattern) a thousand
/// times; the DEBUG build checks the limb bounds on every subtraction.
/// </summary>
public sealed class LadderTests
{
    private static readonly BigInteger P = FieldElement.P;

    [Fact]
    public void Uncarried_subtraction_matches_the_oracle_and_feeds_the_multiplications()
    {
        // Largest inputs the ladder gives it: products (limbs just above 2^51 after the carry), and values
        // near 0 and p.
        var values = Gen.OneOf(
            Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % P),
            Gen.Int[0, 40].Select(i => (P - 20 + i) % P),
            Gen.Int[0, 5].Select(i => (BigInteger)i));
        Gen.Select(values, values, values).Sample((x, y, z) =>
        {
            // Products are what the ladder subtracts; their limbs are the largest the invariant allows.
            var a = FieldElement.Mul(FieldElement.FromBigInteger(x), FieldElement.FromBigInteger(z));
            var b = FieldElement.Square(FieldElement.FromBigInteger(y));
            var expected = ((x * z) - (y * y)) % P;
            expected = (expected + P) % P;
            var difference = FieldElement.SubUncarried(a, b);
            Assert.Equal(expected, difference.ToBigInteger());
            Assert.Equal(expected * expected % P, FieldElement.Square(difference).ToBigInteger());
            Assert.Equal(expected * 121665 % P, FieldElement.MulSmall(difference, 121665).ToBigInteger());
            Assert.Equal(expected * z % P, FieldElement.Mul(difference, FieldElement.FromBigInteger(z)).ToBigInteger());
        }, iter: 500);
    }

    [Fact]
    public void Iterated_X25519_matches_RFC7748_section_5_2()
    {
        var k = new byte[32];
        k[0] = 9;
        var u = (byte[])k.Clone();
        var output = new byte[32];
        for (var i = 1; i <= 1000; i++)
        {
            MontgomeryLadder.ScalarMult(k, u, output);
            k.CopyTo(u, 0);
            output.CopyTo(k, 0);
            if (i == 1)
            {
                Assert.Equal("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", Convert.ToHexStringLower(k));
            }
        }

        Assert.Equal("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", Convert.ToHexStringLower(k));
    }
}
