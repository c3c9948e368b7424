// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Crypto.Edwards;
using Chhaya.Safety;
using CsCheck;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Chhaya.Crypto.Tests;

/// <summary>
/// Chhaya's own X25519 and Ed25519 against BouncyCastle, kept as a test-only reference: random inputs give
/// byte-identical outputs, and verification verdicts agree on valid and mutated signatures.
/// </summary>
public sealed class CurveReferenceTests
{
    [Fact]
    public void X25519_matches_the_reference_on_random_keys_and_arbitrary_peer_bytes()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((k, u) =>
        {
            var expected = new byte[32];
            BcX25519.ScalarMult(k, u, expected);
            var actual = new byte[32];
            MontgomeryLadder.ScalarMult(k, u, actual);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));

            using var secret = SecretBytes.CopyFrom(k);
            var shared = new byte[32];
            Assert.Equal(expected.Any(b => b != 0), X25519.TryAgree(secret, u, shared));
        }, iter: 300);
    }

    [Fact]
    public void X25519_public_keys_match_the_reference_and_the_ladder()
    {
        var nine = new byte[32];
        nine[0] = 9;
        Gen.Byte.Array[32].Sample(k =>
        {
            var expected = new byte[32];
            BcX25519.ScalarMultBase(k, expected);
            using var secret = SecretBytes.CopyFrom(k);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(X25519.PublicKey(secret)));
            var ladder = new byte[32];
            MontgomeryLadder.ScalarMult(k, nine, ladder);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(ladder));
        }, iter: 300);
    }

    [Fact]
    public void Ed25519_keys_and_signatures_are_byte_identical_to_the_reference()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[0, 1500]).Sample((seed, message) =>
        {
            var expectedPk = new byte[32];
            BcEd25519.GeneratePublicKey(seed, expectedPk);
            var expectedSig = new byte[64];
            BcEd25519.Sign(seed, 0, expectedPk, 0, message, 0, message.Length, expectedSig, 0);

            using var secret = SecretBytes.CopyFrom(seed);
            Assert.Equal(Convert.ToHexString(expectedPk), Convert.ToHexString(Ed25519.PublicKey(secret)));
            Assert.Equal(Convert.ToHexString(expectedSig), Convert.ToHexString(Ed25519.Sign(secret, message)));
            var withKey = new byte[64];
            Ed25519.Sign(secret, expectedPk, message, withKey);
            Assert.Equal(Convert.ToHexString(expectedSig), Convert.ToHexString(withKey));
            Assert.True(Ed25519.Verify(expectedPk, message, expectedSig));
        }, iter: 200);
    }

    [Fact]
    public void Ed25519_verdicts_agree_with_the_reference_on_mutated_signatures()
    {
        // Mutation kinds: 0 flip a bit of R, 1 flip a bit of S, 2 flip a bit of the key, 3 change the message,
        // 4 random R, 5 random S, 6 untouched.
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[0, 200], Gen.Int[0, 6], Gen.Int[0, 255], Gen.Byte.Array[32]).Sample(
            (seed, message, kind, bit, noise) =>
            {
                var pk = new byte[32];
                BcEd25519.GeneratePublicKey(seed, pk);
                var sig = new byte[64];
                BcEd25519.Sign(seed, 0, pk, 0, message, 0, message.Length, sig, 0);
                var msg = (byte[])message.Clone();
                switch (kind)
                {
                    case 0: sig[bit >> 3] ^= (byte)(1 << (bit & 7)); break;
                    case 1: sig[32 + (bit >> 3)] ^= (byte)(1 << (bit & 7)); break;
                    case 2: pk[bit >> 3] ^= (byte)(1 << (bit & 7)); break;
                    case 3: msg = [.. msg, (byte)bit]; break;
                    case 4: noise.CopyTo(sig, 0); break;
                    case 5: noise.CopyTo(sig, 32); break;
                    default: break;
                }

                var reference = BcEd25519.Verify(sig, 0, pk, 0, msg, 0, msg.Length);
                Assert.Equal(reference, Ed25519.Verify(pk, msg, sig));
                Assert.Equal(kind == 6, reference);
            },
            iter: 400);
    }

    [Fact]
    public void Scalar_multiplications_agree_with_each_other()
    {
        var below255 = Gen.Byte.Array[32].Select(b =>
        {
            b[31] &= 0x7f;
            return b;
        });
        Gen.Select(below255, below255, below255).Sample((a, b, c) =>
        {
            var p = EdwardsPoint.ScalarMulBase(c);
            Assert.True(EdwardsPoint.Equal(EdwardsPoint.ScalarMulBase(a), EdwardsPoint.ScalarMul(a, EdwardsPoint.Base)));
            var sum = EdwardsPoint.Add(EdwardsPoint.ScalarMul(a, p), EdwardsPoint.ScalarMulBase(b));
            Assert.True(EdwardsPoint.Equal(sum, EdwardsPoint.DoubleScalarMulBaseVartime(a, p, b)));
            Assert.True(EdwardsPoint.Equal(sum, EdwardsPoint.DoubleScalarMulVartime(a, p, b, EdwardsPoint.Base)));

            // [a]P by repeated doubling and adding, the slow readable oracle.
            var slow = EdwardsPoint.Identity;
            for (var i = 254; i >= 0; i--)
            {
                slow = EdwardsPoint.Double(slow);
                if (((a[i >> 3] >> (i & 7)) & 1) == 1)
                {
                    slow = EdwardsPoint.Add(slow, p);
                }
            }

            Assert.True(EdwardsPoint.Equal(slow, EdwardsPoint.ScalarMul(a, p)));
        }, iter: 40);
    }

    [Fact]
    public void Scalar_recodings_reconstruct_the_scalar()
    {
        Gen.Byte.Array[32].Select(b =>
        {
            b[31] &= 0x7f;
            return b;
        }).Sample(k =>
        {
            var value = new BigInteger(k, isUnsigned: true);
            var digits = new sbyte[64];
            ScalarRecoding.SignedRadix16(k, digits);
            var sum = BigInteger.Zero;
            for (var i = 63; i >= 0; i--)
            {
                Assert.InRange(digits[i], -8, 8);
                sum = (sum * 16) + digits[i];
            }

            Assert.Equal(value, sum);
            foreach (var width in new[] { 5, 8 })
            {
                var naf = new sbyte[256];
                ScalarRecoding.NonAdjacentForm(k, naf, width);
                sum = BigInteger.Zero;
                for (var i = 255; i >= 0; i--)
                {
                    sum = (sum * 2) + naf[i];
                    if (naf[i] != 0)
                    {
                        Assert.True((naf[i] & 1) == 1 && Math.Abs((int)naf[i]) < (1 << (width - 1)), $"digit {naf[i]} at {i}");
                    }
                }

                Assert.Equal(value, sum);
            }
        }, iter: 500);
    }
}
