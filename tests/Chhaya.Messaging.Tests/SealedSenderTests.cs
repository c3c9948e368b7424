// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Sealed;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.Messaging.Tests;

public sealed class SealedSenderTests
{
    private const long Now = 1_800_000_000;

    [Fact]
    public void Envelopes_round_trip_and_are_padded_to_the_smallest_bucket_that_fits() =>
        Gen.Int[0, 5000].Sample(length =>
        {
            using var alice = IdentityKeyPair.Generate();
            using var bob = IdentityKeyPair.Generate();
            var cert = SenderCertificate.Create(alice, [0x00, 0x24, 0x08, 0x01], "alice", Now + 3600);
            var payload = new byte[length];
            Random.Shared.NextBytes(payload);
            var envelope = SealedSender.Seal(alice, cert, bob.PublicKey, SealedContentType.Message, payload);
            Assert.True(PaddingBuckets.IsBucket(envelope.Length));
            Assert.Equal(PaddingBuckets.BucketFor(SealedEnvelope.Overhead + 7 + cert.Encode().Length + length), envelope.Length);
            var opened = SealedSender.Open(bob, envelope, Now);
            Assert.Equal(payload, opened.Payload);
            Assert.Equal(SealedContentType.Message, opened.Type);
            Assert.Equal("alice", opened.Sender.Handle);
            Assert.Equal(alice.PublicKey.ToArray(), opened.Sender.IdentityKey);
        }, iter: 30);

    [Fact]
    public void The_wire_shows_the_recipient_but_not_the_sender()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1, 2, 3], "alice-handle", Now + 3600);
        var envelope = SealedSender.Seal(alice, cert, bob.PublicKey, SealedContentType.Message, "hi"u8);
        Assert.Equal(SealedEnvelope.TagOf(bob.PublicKey), SealedEnvelope.PeekRecipient(envelope));
        var hex = Convert.ToHexString(envelope);
        Assert.DoesNotContain(Convert.ToHexString(alice.PublicKey), hex, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(alice.AgreementPublicKey), hex, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString("alice-handle"u8), hex, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(bob.PublicKey), hex, StringComparison.Ordinal);
    }

    [Fact]
    public void Cover_envelopes_have_the_same_size_and_form_and_are_recognized_after_decryption()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", Now + 3600);
        foreach (var bucket in PaddingBuckets.Sizes)
        {
            var cover = SealedSender.SealCover(alice, cert, bob.PublicKey, bucket);
            var real = SealedSender.Seal(alice, cert, bob.PublicKey, SealedContentType.Message, new byte[10], bucket);
            Assert.Equal(bucket, cover.Length);
            Assert.Equal(real.Length, cover.Length);
            Assert.Equal(real.AsSpan(0, 33).ToArray(), cover.AsSpan(0, 33).ToArray()); // version and recipient: the only fixed bytes
            Assert.Equal(SealedContentType.Cover, SealedSender.Open(bob, cover, Now).Type);
        }
    }

    [Fact]
    public void A_real_short_message_fills_the_smallest_bucket_so_cover_there_is_not_conspicuous()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, new byte[38], "a-typical-handle", Now + 3600);
        var shortRatchetPayload = new byte[1 + 41 + 16 + 2 + 16 + 8 + 8 + 4 + 20]; // kind, header, tag, a 20-byte text
        Assert.Equal(PaddingBuckets.Sizes[0], SealedSender.Seal(alice, cert, bob.PublicKey, SealedContentType.Message, shortRatchetPayload).Length);
    }

    [Fact]
    public void Every_tampered_byte_is_refused()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", Now + 3600);
        var envelope = SealedSender.Seal(alice, cert, bob.PublicKey, SealedContentType.Message, "tamper me"u8);
        for (var i = 0; i < envelope.Length; i++)
        {
            var tampered = (byte[])envelope.Clone();
            tampered[i] ^= 0x04;
            var e = Record.Exception(() => SealedSender.Open(bob, tampered, Now));
            Assert.True(e is SealedSenderException or MalformedInputException, $"byte {i}: {e?.GetType().Name ?? "accepted"}");
        }

        Assert.Throws<MalformedInputException>(() => SealedSender.Open(bob, envelope.AsSpan(0, envelope.Length - 1), Now));
        Assert.Throws<MalformedInputException>(() => SealedSender.Open(bob, [.. envelope, 0], Now));
    }

    [Fact]
    public void Another_recipient_cannot_open_it()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var eve = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, [1], "alice", Now + 3600);
        var envelope = SealedSender.Seal(alice, cert, bob.PublicKey, SealedContentType.Message, "for bob"u8);
        Assert.Throws<SealedSenderException>(() => SealedSender.Open(eve, envelope, Now));

        // Even with the tag rewritten to Eve's, the keys are Bob's.
        var retagged = (byte[])envelope.Clone();
        SealedEnvelope.TagOf(eve.PublicKey).CopyTo(retagged, 1);
        Assert.Throws<SealedSenderException>(() => SealedSender.Open(eve, retagged, Now));
    }

    [Fact]
    public void Expired_or_foreign_certificates_are_refused()
    {
        using var alice = IdentityKeyPair.Generate();
        using var mallory = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        var expired = SenderCertificate.Create(alice, [1], "alice", Now - 1);
        Assert.Throws<SealedSenderException>(() => SealedSender.Open(bob, SealedSender.Seal(alice, expired, bob.PublicKey, SealedContentType.Message, "x"u8), Now));

        // A certificate must match the identity that sealed: Mallory cannot pass off Alice's certificate.
        var alices = SenderCertificate.Create(alice, [1], "alice", Now + 10);
        Assert.Throws<ArgumentException>(() => SealedSender.Seal(mallory, alices, bob.PublicKey, SealedContentType.Message, "x"u8));
        var forged = alices with { Handle = "alice2" };
        Assert.False(forged.Verify(Now));
    }

    [Fact]
    public void Certificates_round_trip_and_refuse_malformed_input()
    {
        using var alice = IdentityKeyPair.Generate();
        var cert = SenderCertificate.Create(alice, new byte[38], "ālice", Now + 1);
        var encoded = cert.Encode();
        var decoded = SenderCertificate.Decode(encoded);
        Assert.Equal(encoded, decoded.Encode());
        Assert.True(decoded.Verify(Now));
        Assert.Throws<MalformedInputException>(() => SenderCertificate.Decode(encoded.AsSpan(0, encoded.Length - 1)));
        Assert.Throws<MalformedInputException>(() => SenderCertificate.Decode([.. encoded, 0]));
        var badUtf8 = (byte[])encoded.Clone();
        badUtf8[1 + 32 + 1 + 38 + 1] = 0xFF;
        Assert.Throws<MalformedInputException>(() => SenderCertificate.Decode(badUtf8));
    }

    [Fact]
    public void The_cover_policy_draws_every_bucket_and_positive_delays()
    {
        var policy = new CoverTrafficPolicy(60, [1, 1, 1, 1, 1]);
        var seen = new HashSet<int>();
        for (var i = 0; i < 500; i++)
        {
            seen.Add(policy.PickBucket());
            Assert.True(policy.NextDelay() > TimeSpan.Zero);
        }

        Assert.Equal(PaddingBuckets.Sizes.Count, seen.Count);
        Assert.Null(new CoverTrafficPolicy(0).NextDelay());
    }
}
