// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Crypto.Edwards;
using CsCheck;

namespace Chhaya.Crypto.Tests;

/// <summary>
/// The packed fixed-base comb (<see cref="PackedComb"/>) against the unpacked <see cref="NielsPoint"/> table
/// and the generic lookup, the comb multiplication on edge scalars, the shared-inversion encoding, and the
/// signing path that derives A and R together.
/// </summary>
public sealed class FixedBaseTableTests
{
    [Fact]
    public void Packed_lookup_equals_the_niels_lookup_for_every_row_and_digit()
    {
        var comb = BaseTables.Comb.AsSpan();
        var probe = EdwardsPoint.ScalarMulBase(Scalar32(123456789));
        for (var row = 0; row < PackedComb.Rows; row++)
        {
            var entries = comb.Slice(row * PackedComb.RowEntries, PackedComb.RowEntries);
            for (var digit = -8; digit <= 8; digit++)
            {
                var packed = PackedComb.LookupSigned(row, digit);
                var reference = NielsPoint.LookupSigned(entries, digit);

                // Same addend: adding either to a fixed point gives the same point.
                var viaPacked = probe.AddAffine(packed).ToExtended();
                var viaReference = probe.AddAffine(reference).ToExtended();
                Assert.True(EdwardsPoint.Equal(viaPacked, viaReference), $"row {row}, digit {digit}");
                Assert.Equal(Canonical(reference.YPlusX), Canonical(packed.YPlusX));
                Assert.Equal(Canonical(reference.YMinusX), Canonical(packed.YMinusX));
                Assert.Equal(Canonical(reference.T2d), Canonical(packed.T2d));
            }
        }
    }

    [Fact]
    public void Packed_entries_are_the_right_multiples_of_the_base_point()
    {
        // Row i, digit d is d·256^i·B: added to the identity it must equal the variable-base result.
        foreach (var row in new[] { 0, 1, 15, 31 })
        {
            for (var digit = -8; digit <= 8; digit++)
            {
                var k = (BigInteger.Pow(256, row) * digit % Scalar.L + Scalar.L) % Scalar.L;
                var expected = EdwardsPoint.ScalarMul(Scalar32(k), EdwardsPoint.Base);
                var actual = EdwardsPoint.Identity.AddAffine(PackedComb.LookupSigned(row, digit)).ToExtended();
                Assert.True(EdwardsPoint.Equal(expected, actual), $"row {row}, digit {digit}");
            }
        }
    }

    [Fact]
    public void Comb_multiplication_matches_the_generic_one_on_edge_scalars()
    {
        var edges = new List<byte[]>
        {
            new byte[32], // 0: every digit 0
            Scalar32(1),
            Scalar32(Scalar.L - 1),
            Scalar32(Scalar.L),
            Scalar32((BigInteger.One << 255) - 1), // the largest accepted scalar: digits 15 → −1 with carries
            Filled(0x88, 0x08), // every digit 8: all carries, last digit 8 + carry
            Filled(0x77, 0x77), // every digit 7: no carries
            Filled(0x99, 0x09), // digits 9 → −7 with a carry each
        };
        var clamped = new byte[32];
        Random.Shared.NextBytes(clamped);
        MontgomeryLadder.Clamp(clamped);
        edges.Add(clamped);

        foreach (var k in edges)
        {
            var comb = EdwardsPoint.ScalarMulBase(k);
            Assert.True(EdwardsPoint.Equal(comb, EdwardsPoint.ScalarMul(k, EdwardsPoint.Base)), Convert.ToHexString(k));
        }

        Gen.Byte.Array[32].Sample(k =>
        {
            k[31] &= 0x7f;
            Assert.True(EdwardsPoint.Equal(EdwardsPoint.ScalarMulBase(k), EdwardsPoint.ScalarMul(k, EdwardsPoint.Base)));
        }, iter: 40);
    }

    [Fact]
    public void Encoding_two_points_with_one_inversion_matches_encoding_each()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((a, b) =>
        {
            a[31] &= 0x7f;
            b[31] &= 0x7f;
            var p = EdwardsPoint.ScalarMulBase(a);
            var q = EdwardsPoint.ScalarMul(b, p);
            var pBytes = new byte[32];
            var qBytes = new byte[32];
            EdwardsPoint.EncodeBoth(p, q, pBytes, qBytes);
            Assert.Equal(p.Encode(), pBytes);
            Assert.Equal(q.Encode(), qBytes);
        }, iter: 40);

        // The identity (Z = 1 after a zero scalar) and a point with itself.
        var identity = EdwardsPoint.ScalarMulBase(new byte[32]);
        var one = new byte[32];
        var two = new byte[32];
        EdwardsPoint.EncodeBoth(identity, identity, one, two);
        Assert.Equal(EdwardsPoint.Identity.Encode(), one);
        Assert.Equal(one, two);
    }

    [Fact]
    public void Signing_with_and_without_the_public_key_gives_the_same_signature()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[0, 300]).Sample((seedBytes, message) =>
        {
            using var seed = Chhaya.Safety.SecretBytes.CopyFrom(seedBytes);
            var publicKey = Ed25519.PublicKey(seed);
            var withKey = new byte[64];
            Ed25519.Sign(seed, publicKey, message, withKey);
            Assert.Equal(Ed25519.Sign(seed, message), withKey);
            Assert.True(Ed25519.Verify(publicKey, message, withKey));
        }, iter: 40);
    }

    [Fact]
    public void A_mismatched_public_key_leaves_the_destination_untouched()
    {
        using var seed = Ed25519.GenerateSeed();
        var wrong = Ed25519.PublicKey(seed);
        wrong[0] ^= 1;
        var signature = Enumerable.Repeat((byte)0xA5, 64).ToArray();
        Assert.Throws<ArgumentException>(() => Ed25519.Sign(seed, wrong, "m"u8, signature));
        Assert.All(signature, b => Assert.Equal(0xA5, b));
    }

    private static byte[] Scalar32(BigInteger value)
    {
        var bytes = new byte[32];
        value.TryWriteBytes(bytes, out _, isUnsigned: true);
        return bytes;
    }

    private static byte[] Filled(byte value, byte last)
    {
        var bytes = Enumerable.Repeat(value, 32).ToArray();
        bytes[31] = last;
        return bytes;
    }

    private static byte[] Canonical(FieldElement value)
    {
        var bytes = new byte[32];
        value.ToBytes(bytes);
        return bytes;
    }
}
