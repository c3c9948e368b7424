// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Messaging.Identity;
using CsCheck;

namespace Chhaya.Messaging.Tests;

/// <summary>The limb exponentiation against <see cref="BigInteger.ModPow(BigInteger, BigInteger, BigInteger)"/> as the oracle.</summary>
public sealed class Curve25519PowTests
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    private static readonly BigInteger[] EdgeBases = [0, 1, 2, 19, 38, P, P - 1, P + 1, BigInteger.Pow(2, 256) - 1, BigInteger.Pow(2, 255) - 20];

    [Fact]
    public void Edge_bases_match_the_oracle_for_the_inversion_and_euler_exponents()
    {
        foreach (var value in EdgeBases)
        {
            foreach (var exponent in new[] { P - 2, (P - 1) / 2, BigInteger.Zero, BigInteger.One, (BigInteger.One << 256) - 1 })
            {
                Assert.Equal(BigInteger.ModPow(value % P, exponent, P), Curve25519Pow.ModPow(value, exponent));
            }
        }
    }

    [Fact]
    public void Random_bases_and_exponents_match_the_oracle() =>
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((b, e) =>
        {
            var value = new BigInteger(b, isUnsigned: true);
            var exponent = new BigInteger(e, isUnsigned: true);
            Assert.Equal(BigInteger.ModPow(value % P, exponent, P), Curve25519Pow.ModPow(value, exponent));
        }, iter: 200);

    [Fact]
    public void Limbs_near_two_to_the_256_fold_correctly() =>
        Gen.Select(Gen.Int[0, 200], Gen.Int[2, 300]).Sample((below, power) =>
        {
            // Bases just under 2^256 and just under p stress the 38-fold and the final carry.
            var value = (BigInteger.One << 256) - 1 - below;
            Assert.Equal(BigInteger.ModPow(value % P, power, P), Curve25519Pow.ModPow(value, power));
            var nearP = P - 1 - below;
            Assert.Equal(BigInteger.ModPow(nearP, power, P), Curve25519Pow.ModPow(nearP, power));
        }, iter: 100);
}
