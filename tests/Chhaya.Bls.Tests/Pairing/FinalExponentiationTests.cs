// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Fields;
using Chhaya.Bls.Pairing;
using Chhaya.Bls.Tests.Fields;

namespace Chhaya.Bls.Tests.Pairing;

/// <summary>The final exponentiation against the plain power f^(3·(p^12 − 1)/r) with generic Fp12 squaring.</summary>
public class FinalExponentiationTests
{
    private static readonly ulong[] Exponent = CyclotomicTests.Limbs(3 * (BigInteger.Pow(Oracle.P, 12) - 1) / Oracle.R);

    [Fact]
    public void Final_exponentiation_is_the_power_3_p12_minus_1_over_r()
    {
        Assert.Equal(BigInteger.Zero, (BigInteger.Pow(Oracle.P, 12) - 1) % Oracle.R);
        var rng = new Random(21);
        Fp12[] inputs =
        [
            Pairings.MultiMillerLoop([G1Projective.MulVartime(Chhaya.Bls.Curves.G1.Generator, 3)], [Chhaya.Bls.Curves.G2.Generator]),
            Oracle.RandomFp12(rng),
            Oracle.RandomFp12(rng),
        ];
        foreach (var f in inputs)
        {
            var expected = Oracle.Pow(f, Exponent);
            Assert.False(expected.IsOne);
            Assert.True(Fp12.Equal(FinalExponentiation.Apply(f), expected));
        }
    }

    [Fact]
    public void Elements_of_a_subfield_map_to_one()
    {
        // f in Fp: f^(p^6 - 1) = 1 already, so the hard part runs on the identity (the fallback path).
        var f = new Fp12(new Fp6(new Fp2(Fp.FromUInt64(2), Fp.Zero), Fp2.Zero, Fp2.Zero), Fp6.Zero);
        Assert.True(FinalExponentiation.Apply(f).IsOne);
        Assert.True(FinalExponentiation.Apply(Fp12.One).IsOne);
        Assert.True(Oracle.Pow(f, Exponent).IsOne);
    }
}
