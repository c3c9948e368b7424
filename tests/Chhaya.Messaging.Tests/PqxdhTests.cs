// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Safety;

namespace Chhaya.Messaging.Tests;

public sealed class PqxdhTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Both_sides_derive_the_same_keys_with_and_without_one_time_prekeys(bool oneTime)
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var bundle = bob.PublishBundle(oneTime ? 1 : 0);
        var (keys, template, _) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bundle);
        using (keys)
        {
            Assert.Equal(oneTime, template.OneTimeEcPrekeyId.HasValue);
            Assert.Equal(oneTime ? PrekeyKind.OneTimeKem : PrekeyKind.LastResortKem, template.KemPrekeyKind);
            var (bobKeys, spk, _) = Pqxdh.Respond(bob, template);
            using (bobKeys)
            using (spk)
            {
                Assert.True(keys.SharedKey.FixedTimeEquals(bobKeys.SharedKey.ReadOnlySpan));
                Assert.Equal(keys.AssociatedData, bobKeys.AssociatedData);
                Assert.Equal(keys.SessionId, bobKeys.SessionId);
                Assert.Equal([.. alice.PublicKey, .. bob.Identity.PublicKey], keys.AssociatedData);
            }
        }
    }

    [Fact]
    public void The_shared_key_follows_the_spec_formula()
    {
        // Recompute SK from the components by hand: HKDF(salt = 0^32, IKM = 0xFF^32 ‖ DH1 ‖ DH2 ‖ DH3 ‖ DH4 ‖ SS, info).
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var bundle = bob.PublishBundle(1);
        var (keys, template, _) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bundle);
        using (keys)
        {
            using var spk = bob.SignedPrekeyPrivate(template.SignedPrekeyId, out _)!;
            using var opk = bob.PeekOneTimeEc(template.OneTimeEcPrekeyId!.Value)!;
            using var kem = bob.PeekOneTimeKem(template.KemPrekeyId)!;
            using var dh1 = X25519.Agree(spk, alice.AgreementPublicKey);
            using var dh2 = X25519.Agree(bob.Identity.AgreementKey, template.BaseKey);
            using var dh3 = X25519.Agree(spk, template.BaseKey);
            using var dh4 = X25519.Agree(opk, template.BaseKey);
            using var ss = MlKem1024.Decapsulate(kem, template.KemCiphertext);
            byte[] ikm = [.. Enumerable.Repeat((byte)0xFF, 32), .. dh1.ReadOnlySpan, .. dh2.ReadOnlySpan, .. dh3.ReadOnlySpan, .. dh4.ReadOnlySpan, .. ss.ReadOnlySpan];
            var expected = new byte[32];
            Kdf.DeriveKey(ikm, new byte[32], System.Text.Encoding.ASCII.GetBytes("Chhaya_PQXDH_CURVE25519_SHA-256_ML-KEM-1024_v1"), expected);
            Assert.True(keys.SharedKey.FixedTimeEquals(expected));
        }
    }

    [Fact]
    public void A_bundle_with_a_bad_prekey_signature_is_refused()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var good = bob.PublishBundle(1);
        var badSig = good.SignedPrekey with { Signature = Flip(good.SignedPrekey.Signature) };
        var bundles = new[]
        {
            new PrekeyBundle(good.IdentityKey, badSig, good.LastResortKemPrekey, good.OneTimeEcPrekeys, good.OneTimeKemPrekeys),
            new PrekeyBundle(good.IdentityKey, good.SignedPrekey, good.LastResortKemPrekey with { Signature = Flip(good.LastResortKemPrekey.Signature) }, good.OneTimeEcPrekeys, []),
            new PrekeyBundle(good.IdentityKey, good.SignedPrekey, good.LastResortKemPrekey, [good.OneTimeEcPrekeys[0] with { PublicKey = Flip(good.OneTimeEcPrekeys[0].PublicKey) }], good.OneTimeKemPrekeys),
            new PrekeyBundle(good.IdentityKey, good.SignedPrekey, good.LastResortKemPrekey, good.OneTimeEcPrekeys, [good.OneTimeKemPrekeys[0] with { PublicKey = Flip(good.OneTimeKemPrekeys[0].PublicKey) }]),
        };
        foreach (var bundle in bundles)
        {
            Assert.Throws<HandshakeException>(() => Pqxdh.Initiate(alice, bob.Identity.PublicKey, bundle));
        }
    }

    [Fact]
    public void A_bundle_for_another_identity_is_refused()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        using var mallory = TestUsers.NewStore();
        Assert.Throws<HandshakeException>(() => Pqxdh.Initiate(alice, bob.Identity.PublicKey, mallory.PublishBundle()));
    }

    [Fact]
    public void A_low_order_signed_prekey_is_refused_even_when_validly_signed()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var good = bob.PublishBundle(0);
        var lowOrder = new byte[32]; // u = 0 has order 1 (after clamping the shared secret is zero)
        var spk = SignedPrekey.Create(bob.Identity, PrekeyKind.SignedEc, 900, 0, lowOrder);
        var bundle = new PrekeyBundle(good.IdentityKey, spk, good.LastResortKemPrekey, [], []);
        Assert.True(bundle.Verify());
        Assert.Throws<HandshakeException>(() => Pqxdh.Initiate(alice, bob.Identity.PublicKey, bundle));
    }

    [Fact]
    public void A_low_order_base_key_is_refused_by_the_responder()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var (keys, template, _) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bob.PublishBundle(1));
        keys.Dispose();
        var forged = template with { BaseKey = Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800") };
        Assert.Throws<HandshakeException>(() => Pqxdh.Respond(bob, forged));
    }

    [Fact]
    public void A_reused_one_time_prekey_is_refused()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var bundle = bob.PublishBundle(1);
        var (a, b) = TestUsers.Pair(alice, bob);
        a.Dispose();
        b.Dispose();

        // A second initiator (or a replay) that still names the consumed one-time prekeys.
        using var carol = IdentityKeyPair.Generate();
        var (keys, template, _) = Pqxdh.Initiate(carol, bob.Identity.PublicKey, bundle);
        keys.Dispose();
        var e = Assert.Throws<HandshakeException>(() => Pqxdh.Respond(bob, template));
        Assert.Contains("already used", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_signed_prekey_id_is_refused()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var (keys, template, _) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bob.PublishBundle(0));
        keys.Dispose();
        Assert.Throws<HandshakeException>(() => Pqxdh.Respond(bob, template with { SignedPrekeyId = 77777 }));
    }

    [Fact]
    public void A_tampered_kem_ciphertext_gives_a_different_key_and_the_first_message_fails()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var (keys, template, remote) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bob.PublishBundle(1));
        using (keys)
        {
            using var session = RatchetSession.InitializeInitiator(keys, template, remote);
            var message = template with { RatchetMessage = session.Encrypt("hi"u8), KemCiphertext = Flip(template.KemCiphertext) };
            var (bobKeys, spk, spkPublic) = Pqxdh.Respond(bob, message);
            using (bobKeys)
            {
                Assert.False(keys.SharedKey.FixedTimeEquals(bobKeys.SharedKey.ReadOnlySpan));
                using var bobSession = RatchetSession.InitializeResponder(bobKeys, spk, spkPublic);
                Assert.Throws<RatchetException>(() => bobSession.Decrypt(message.RatchetMessage));
            }
        }
    }

    [Fact]
    public void Prekey_messages_round_trip_and_refuse_malformed_input()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = TestUsers.NewStore();
        var (keys, template, _) = Pqxdh.Initiate(alice, bob.Identity.PublicKey, bob.PublishBundle(1));
        keys.Dispose();
        var message = template with { RatchetMessage = new byte[60] };
        var encoded = message.Encode();
        var decoded = PrekeyMessage.Decode(encoded);
        Assert.Equal(encoded, decoded.Encode());
        Assert.Throws<MalformedInputException>(() => PrekeyMessage.Decode(encoded.AsSpan(0, encoded.Length - 1)));
        Assert.Throws<MalformedInputException>(() => PrekeyMessage.Decode([.. encoded, 1]));
        var badKind = (byte[])encoded.Clone();
        badKind[1 + 32 + 32 + 4 + 1 + 4] = 1; // KEM kind byte: 1 is an EC kind
        Assert.Throws<MalformedInputException>(() => PrekeyMessage.Decode(badKind));
    }

    private static byte[] Flip(byte[] value)
    {
        var copy = (byte[])value.Clone();
        copy[^1] ^= 0x01;
        copy[0] ^= 0x40;
        return copy;
    }
}
