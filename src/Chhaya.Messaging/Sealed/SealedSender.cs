// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Safety;

namespace Chhaya.Messaging.Sealed;

/// <summary>
/// Sealed sender in the shape of Signal's sealed sender v1: two layers, both to the recipient's identity key, so
/// the envelope shows only the recipient.
/// <code>
/// e ← fresh X25519;  s1 = X25519(e, IK_B)                     (IK_B: the recipient's identity, X25519 form)
/// chain ‖ k1 = HKDF(ikm = s1, salt = IK_B ‖ e_pub, info = "chhaya/v1/msg/sealed/ephemeral" ‖ 0x00, 64)
/// c1 = AES-256-GCM_HKDF-n12(k1, IK_A (Ed25519, 32), ad = version ‖ tag ‖ e_pub)
/// s2 = X25519(IK_A, IK_B)
/// k2 = HKDF(ikm = s2, salt = chain, info = "chhaya/v1/msg/sealed/static" ‖ 0x00 ‖ c1, 32)
/// c2 = AES-256-GCM_HKDF-n12(k2, padded content, ad = version ‖ tag ‖ e_pub ‖ c1)
/// </code>
/// The first layer hides who the sender is; the second authenticates the sender (only the holder of IK_A or IK_B
/// can compute s2), and the certificate inside must name the same identity key. Content =
/// <c>u8 type ‖ u16 len ‖ certificate ‖ u32 len ‖ payload ‖ zero padding</c>, padded so the envelope is exactly a bucket.
/// </summary>
/// <remarks>
/// Classical only: an adversary who records envelopes today and later breaks X25519 learns who sent them (never the
/// content, which the PQXDH-seeded ratchet protects). A hybrid layer would need an ML-KEM ciphertext (1568 bytes)
/// in every envelope, more than six times the smallest bucket; docs/messaging.md records this trade-off.
/// </remarks>
public static class SealedSender
{
    private const int ContentHeaderLength = 1 + 2 + 4;

    /// <summary>Largest payload an envelope of the largest bucket can carry with <paramref name="certificateLength"/>.</summary>
    public static int MaxPayloadLength(int certificateLength) => PaddingBuckets.Largest - SealedEnvelope.Overhead - ContentHeaderLength - certificateLength;

    /// <summary>
    /// Seals <paramref name="payload"/> from <paramref name="sender"/> to the identity <paramref name="recipientIdentityKey"/>,
    /// padded to at least <paramref name="minimumBucket"/> (cover traffic picks its bucket this way).
    /// </summary>
    /// <exception cref="ArgumentException">The payload does not fit the largest bucket; or the certificate is not the sender's.</exception>
    /// <exception cref="MalformedInputException">The recipient key is not a valid Ed25519 identity key.</exception>
    public static byte[] Seal(
        IdentityKeyPair sender, SenderCertificate certificate, ReadOnlySpan<byte> recipientIdentityKey,
        SealedContentType type, ReadOnlySpan<byte> payload, int minimumBucket = 0)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.IdentityKey.AsSpan().SequenceEqual(sender.PublicKey))
        {
            throw new ArgumentException("The sender certificate is for another identity.", nameof(certificate));
        }

        var cert = certificate.Encode();
        var contentLength = ContentHeaderLength + cert.Length + payload.Length;
        var bucket = PaddingBuckets.BucketFor(Math.Max(contentLength + SealedEnvelope.Overhead, minimumBucket));
        if (bucket < 0)
        {
            throw new ArgumentException($"The payload ({payload.Length} bytes) does not fit the largest envelope.", nameof(payload));
        }

        var recipientX = IdentityKeys.ToX25519(recipientIdentityKey);
        var envelope = new byte[bucket];
        envelope[0] = SealedEnvelope.Version;
        SealedEnvelope.TagOf(recipientIdentityKey).CopyTo(envelope, 1);
        var content = SecretBytes.Allocate(bucket - SealedEnvelope.Overhead);
        try
        {
            var c = content.Span;
            c[0] = (byte)type;
            BinaryPrimitives.WriteUInt16BigEndian(c[1..], (ushort)cert.Length);
            cert.CopyTo(c[3..]);
            BinaryPrimitives.WriteUInt32BigEndian(c[(3 + cert.Length)..], (uint)payload.Length);
            payload.CopyTo(c[(ContentHeaderLength + cert.Length)..]);

            using var ephemeral = X25519.GeneratePrivateKey();
            X25519.PublicKey(ephemeral, envelope.AsSpan(33, 32));
            using var s1 = X25519.Agree(ephemeral, recipientX);
            var (chain, k1) = DeriveEphemeral(s1, recipientX, envelope.AsSpan(33, 32));
            using (chain)
            {
                using (var key1 = MessageKey.FromSecret(k1))
                {
                    key1.Seal(sender.PublicKey, envelope.AsSpan(0, 65), envelope.AsSpan(65, 48));
                }

                using var s2 = sender.Agree(recipientX);
                using var key2 = MessageKey.FromSecret(DeriveStatic(s2, chain, envelope.AsSpan(65, 48)));
                key2.Seal(content.ReadOnlySpan, envelope.AsSpan(0, SealedEnvelope.PrefixLength), envelope.AsSpan(SealedEnvelope.PrefixLength));
            }

            return envelope;
        }
        finally
        {
            content.Dispose();
        }
    }

    /// <summary>A cover-traffic envelope of the given bucket: random payload, sealed exactly like a real one.</summary>
    public static byte[] SealCover(IdentityKeyPair sender, SenderCertificate certificate, ReadOnlySpan<byte> recipientIdentityKey, int bucket)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!PaddingBuckets.IsBucket(bucket))
        {
            throw new ArgumentException($"{bucket} is not a bucket size.", nameof(bucket));
        }

        var room = bucket - SealedEnvelope.Overhead - ContentHeaderLength - certificate.Encode().Length;
        var payload = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, Math.Max(1, room + 1)));
        return Seal(sender, certificate, recipientIdentityKey, SealedContentType.Cover, payload, bucket);
    }

    /// <summary>Opens an envelope addressed to <paramref name="recipient"/>.</summary>
    /// <exception cref="MalformedInputException">Not a well-formed envelope, or a malformed content after decryption.</exception>
    /// <exception cref="SealedSenderException">Not for this recipient, does not authenticate, or a bad or foreign certificate.</exception>
    public static OpenedEnvelope Open(IdentityKeyPair recipient, ReadOnlySpan<byte> envelope, long nowUnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var parsed = SealedEnvelope.Decode(envelope);
        if (!parsed.RecipientTag.AsSpan().SequenceEqual(SealedEnvelope.TagOf(recipient.PublicKey)))
        {
            throw new SealedSenderException("The envelope is addressed to another identity.");
        }

        var s1 = SecretBytes.Allocate(32);
        if (!X25519.TryAgree(recipient.AgreementKey, parsed.EphemeralKey, s1.Span))
        {
            s1.Dispose();
            throw new SealedSenderException("The envelope's ephemeral key has low order.");
        }

        var (chain, k1) = DeriveEphemeral(s1, recipient.AgreementPublicKey, parsed.EphemeralKey);
        s1.Dispose();
        using (chain)
        {
            var senderKey = new byte[Ed25519.PublicKeyLength];
            using (k1)
            {
                if (!MessageAead.TryOpen(k1.ReadOnlySpan, parsed.SealedSenderKey, envelope[..65], senderKey))
                {
                    throw new SealedSenderException("The envelope does not authenticate (sender layer).");
                }
            }

            Span<byte> senderX = stackalloc byte[32];
            if (!IdentityKeys.TryToX25519(senderKey, senderX))
            {
                throw new SealedSenderException("The sealed sender identity is not a valid Ed25519 key.");
            }

            var s2 = SecretBytes.Allocate(32);
            if (!X25519.TryAgree(recipient.AgreementKey, senderX, s2.Span))
            {
                s2.Dispose();
                throw new SealedSenderException("The sender identity has low order.");
            }

            using var k2 = DeriveStatic(s2, chain, parsed.SealedSenderKey);
            s2.Dispose();
            using var content = SecretBytes.Allocate(parsed.SealedContent.Length - MessageAead.TagLength);
            if (!MessageAead.TryOpen(k2.ReadOnlySpan, parsed.SealedContent, envelope[..SealedEnvelope.PrefixLength], content.Span))
            {
                throw new SealedSenderException("The envelope does not authenticate (content layer).");
            }

            var opened = ParseContent(content.ReadOnlySpan);
            if (!opened.Sender.IdentityKey.AsSpan().SequenceEqual(senderKey))
            {
                throw new SealedSenderException("The sender certificate names another identity than the one that sealed the envelope.");
            }

            if (!opened.Sender.Verify(nowUnixSeconds))
            {
                throw new SealedSenderException("The sender certificate is expired or its signature does not verify.");
            }

            return opened;
        }
    }

    private static OpenedEnvelope ParseContent(ReadOnlySpan<byte> content)
    {
        var reader = new Wire.WireReader(content);
        var type = (SealedContentType)reader.ReadByte("content type");
        if (type is not (SealedContentType.Message or SealedContentType.Cover))
        {
            throw new MalformedInputException($"Content type {(byte)type} is unknown.");
        }

        var certificate = SenderCertificate.Decode(reader.ReadPrefixed16(SenderCertificate.MaxEncodedLength, "sender certificate"));
        var payload = reader.ReadPrefixed32(content.Length, "payload").ToArray();
        if (reader.ReadRest().ContainsAnyExcept((byte)0))
        {
            throw new MalformedInputException("The envelope padding is not all zero.");
        }

        return new OpenedEnvelope(certificate, type, payload);
    }

    private static (SecretBytes Chain, SecretBytes Key) DeriveEphemeral(SecretBytes s1, ReadOnlySpan<byte> recipientX, ReadOnlySpan<byte> ephemeralPublic)
    {
        Span<byte> salt = stackalloc byte[64];
        recipientX.CopyTo(salt);
        ephemeralPublic.CopyTo(salt[32..]);
        using var okm = Kdf.DeriveLabeled(s1.ReadOnlySpan, salt, MessagingLabels.SealedEphemeral, default, 64);
        return (SecretBytes.CopyFrom(okm.ReadOnlySpan[..32]), SecretBytes.CopyFrom(okm.ReadOnlySpan[32..]));
    }

    private static SecretBytes DeriveStatic(SecretBytes s2, SecretBytes chain, ReadOnlySpan<byte> sealedSenderKey) =>
        Kdf.DeriveLabeled(s2.ReadOnlySpan, chain.ReadOnlySpan, MessagingLabels.SealedStatic, sealedSenderKey, 32);
}
