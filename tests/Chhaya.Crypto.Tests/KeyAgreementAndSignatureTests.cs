// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto.Tests;

public sealed class KeyAgreementAndSignatureTests
{
    [Fact]
    public void X25519_matches_RFC7748_section_6_1()
    {
        using var alice = SecretBytes.CopyFrom(Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        using var bob = SecretBytes.CopyFrom(Convert.FromHexString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        var alicePub = X25519.PublicKey(alice);
        var bobPub = X25519.PublicKey(bob);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alicePub));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bobPub));
        using var s1 = X25519.Agree(alice, bobPub);
        using var s2 = X25519.Agree(bob, alicePub);
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Convert.ToHexStringLower(s1.ReadOnlySpan));
        Assert.True(s1.FixedTimeEquals(s2.ReadOnlySpan));
    }

    [Fact]
    public void X25519_refuses_low_order_and_malformed_peer_keys()
    {
        using var priv = X25519.GeneratePrivateKey();
        Assert.Throws<CryptographicException>(() => X25519.Agree(priv, new byte[32]));
        var one = new byte[32];
        one[0] = 1;
        Assert.Throws<CryptographicException>(() => X25519.Agree(priv, one));
        Assert.Throws<MalformedInputException>(() => X25519.Agree(priv, new byte[31]));
        Assert.False(X25519.TryAgree(priv, new byte[33], new byte[32]));
    }

    [Fact]
    public void Ed25519_matches_RFC8032_test_1_and_rejects_changes()
    {
        using var seed = SecretBytes.CopyFrom(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        var pk = Ed25519.PublicKey(seed);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(pk));
        var sig = Ed25519.Sign(seed, []);
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(sig));
        Assert.True(Ed25519.Verify(pk, [], sig));
        Assert.False(Ed25519.Verify(pk, [0], sig));
        Assert.False(Ed25519.Verify(pk, [], sig.AsSpan(0, 63)));
        Assert.False(Ed25519.Verify(pk.AsSpan(0, 31), [], sig));
    }

    [Fact]
    public void Ed25519_rejects_S_plus_L_and_small_order_keys()
    {
        using var seed = Ed25519.GenerateSeed();
        var pk = Ed25519.PublicKey(seed);
        var sig = Ed25519.Sign(seed, "m"u8);
        Assert.True(Ed25519.Verify(pk, "m"u8, sig));

        // S + L is the classic malleated twin of a valid signature.
        var s = new System.Numerics.BigInteger(sig.AsSpan(32), isUnsigned: true);
        var l = System.Numerics.BigInteger.Pow(2, 252) + System.Numerics.BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);
        var malleated = (byte[])sig.Clone();
        (s + l).TryWriteBytes(malleated.AsSpan(32), out _, isUnsigned: true);
        Assert.False(Ed25519.Verify(pk, "m"u8, malleated));

        // The identity as public key with R = identity and S = 0 "verifies" every message under a lax rule.
        var identity = new byte[32];
        identity[0] = 1;
        var trivial = new byte[64];
        trivial[0] = 1;
        Assert.False(Ed25519.Verify(identity, "anything"u8, trivial));
    }

    [Fact]
    public void Ed25519_sign_with_wrong_public_key_is_refused()
    {
        using var seed = Ed25519.GenerateSeed();
        using var other = Ed25519.GenerateSeed();
        Assert.Throws<ArgumentException>(() => Ed25519.Sign(seed, Ed25519.PublicKey(other), "m"u8, new byte[64]));
    }

    [Fact]
    public void Tagged_hashes_separate_domains_and_lengths()
    {
        var a = new byte[32];
        var b = new byte[32];
        Hashing.TaggedSha256("chhaya/v1/test/a", "xy"u8, a);
        Hashing.TaggedSha256("chhaya/v1/test/ax", "y"u8, b);
        Assert.NotEqual(a, b);
        Assert.Throws<ArgumentException>(() => Hashing.TaggedSha256("bad\ntag", default, a));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hashing.TaggedSha256("", default, a));
        Assert.True(Hashing.VerifyHmacSha256("k"u8, "d"u8, HMACSHA256.HashData("k"u8.ToArray(), "d"u8.ToArray())));
        Assert.False(Hashing.VerifyHmacSha256("k"u8, "d"u8, new byte[32]));
    }

    [Fact]
    public void Labeled_HKDF_is_HKDF_with_label_zero_context()
    {
        var ikm = "ikm"u8.ToArray();
        using var derived = Kdf.DeriveLabeled(ikm, "salt"u8, "chhaya/v1/test", "ctx"u8, 42);
        var expected = new byte[42];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, expected, "salt"u8.ToArray(), [.. "chhaya/v1/test"u8, 0, .. "ctx"u8]);
        Assert.Equal(expected, derived.ReadOnlySpan.ToArray());
        Assert.Throws<ArgumentException>(() => Kdf.DeriveLabeled(ikm, default, "chhaya/v1/test", default, 8161));
    }
}
