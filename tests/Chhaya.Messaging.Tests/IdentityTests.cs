// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.Messaging.Tests;

public sealed class IdentityTests
{
    [Fact]
    public void The_converted_public_key_is_the_public_key_of_the_converted_private_key() =>
        Gen.Byte.Array[32].Sample(seedBytes =>
        {
            using var seed = SecretBytes.CopyFrom(seedBytes);
            using var identity = IdentityKeyPair.FromSeed(seed);
            var converted = IdentityKeys.ToX25519(identity.PublicKey);
            Assert.Equal(X25519.PublicKey(identity.AgreementKey), converted);
            Assert.Equal(identity.AgreementPublicKey.ToArray(), converted);
        }, iter: 50);

    [Fact]
    public void Both_sides_of_an_identity_agreement_meet()
    {
        using var a = IdentityKeyPair.Generate();
        using var b = IdentityKeyPair.Generate();
        using var ab = a.Agree(IdentityKeys.ToX25519(b.PublicKey));
        using var ba = b.Agree(IdentityKeys.ToX25519(a.PublicKey));
        Assert.True(ab.FixedTimeEquals(ba.ReadOnlySpan));
    }

    [Fact]
    public void Known_vector_ed25519_to_x25519_matches_rfc8032_test_1_key()
    {
        // RFC 8032 §7.1 TEST 1 public key; its Montgomery form computed independently
        // with Python integers (u = (1+y)/(1-y) mod p), and it must also be X25519's public key of the clamped scalar.
        var ed = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        using var seed = SecretBytes.CopyFrom(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        using var identity = IdentityKeyPair.FromSeed(seed);
        Assert.Equal(ed, identity.PublicKey.ToArray());
        var expected = Convert.FromHexString("d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e");
        Assert.Equal(expected, IdentityKeys.ToX25519(ed));
        Assert.Equal(expected, X25519.PublicKey(identity.AgreementKey));
    }

    [Theory]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")] // neutral element (y = 1)
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p, non-canonical
    [InlineData("0200000000000000000000000000000000000000000000000000000000000000")] // y = 2 is not on the curve
    public void Invalid_identity_keys_are_refused(string hex)
    {
        Span<byte> output = stackalloc byte[32];
        Assert.False(IdentityKeys.TryToX25519(Convert.FromHexString(hex), output));
        Assert.Throws<MalformedInputException>(() => IdentityKeys.ToX25519(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Wrong_length_identity_keys_are_refused()
    {
        Span<byte> output = stackalloc byte[32];
        Assert.False(IdentityKeys.TryToX25519(new byte[31], output));
    }
}
