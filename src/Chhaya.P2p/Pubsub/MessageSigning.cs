// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Pubsub;

/// <summary>
/// Creates and checks message signatures (pubsub/README.md "Message Signing"). The signature covers
/// <c>"libp2p-pubsub:"</c> followed by the <c>Message</c> protobuf without <c>signature</c> and <c>key</c>,
/// re-encoded here in field order from the decoded fields (as js-libp2p and go-libp2p do), so fields this code
/// does not know are not covered. <c>key</c> is omitted when the author's peer id inlines its key (Ed25519).
/// </summary>
public static class MessageSigning
{
    /// <summary>Length of the <c>seqno</c> field under StrictSign (a 64-bit big-endian counter).</summary>
    public const int SeqnoLength = 8;

    /// <summary>Builds a StrictSign message authored by <paramref name="identity"/>.</summary>
    public static PubsubMessage Sign(Ed25519Identity identity, string topic, byte[] data, ulong seqno)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var seq = new byte[SeqnoLength];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(seq, seqno);
        var message = new PubsubMessage { From = identity.PeerId.Bytes.ToArray(), Data = data, Seqno = seq, Topic = topic };
        message.Signature = identity.Sign(RpcCodec.SigningBytes(message));

        // An identity-hash peer id carries the key, so the key field would only repeat it.
        if (identity.PeerId.TryGetPublicKey() is null)
        {
            message.Key = identity.PublicKey.Encoded.ToArray();
        }

        return message;
    }

    /// <summary>Builds a StrictNoSign message: data and topic only.</summary>
    public static PubsubMessage CreateUnsigned(string topic, byte[] data) => new() { Data = data, Topic = topic };

    /// <summary>
    /// Checks <paramref name="message"/> against <paramref name="policy"/>. On success returns null and the
    /// author (null under StrictNoSign); otherwise the reason for rejecting the message.
    /// </summary>
    public static string? Check(PubsubMessage message, SignaturePolicy policy, out PeerId? author)
    {
        ArgumentNullException.ThrowIfNull(message);
        author = null;
        if (policy == SignaturePolicy.StrictNoSign)
        {
            return message.From is null && message.Seqno is null && message.Signature is null && message.Key is null
                ? null
                : "StrictNoSign topic but the message carries from, seqno, signature or key";
        }

        if (message.From is null || message.Signature is null)
        {
            return "StrictSign topic but the message lacks from or signature";
        }

        if (message.Seqno is not { Length: SeqnoLength })
        {
            return "StrictSign requires an 8-byte seqno";
        }

        PeerId from;
        try
        {
            from = PeerId.FromBytes(message.From);
        }
        catch (MalformedInputException e)
        {
            return "from is not a peer id: " + e.Message;
        }

        PublicKey key;
        try
        {
            if (message.Key is not null)
            {
                key = PublicKey.Decode(message.Key);
                if (!from.Matches(key))
                {
                    return "key does not match the from peer id";
                }
            }
            else if (from.TryGetPublicKey() is { } inlined)
            {
                key = inlined;
            }
            else
            {
                return "no key field and the from peer id does not inline its key";
            }
        }
        catch (MalformedInputException e)
        {
            return "key is malformed: " + e.Message;
        }

        if (!key.Verify(RpcCodec.SigningBytes(message), message.Signature))
        {
            return "signature does not verify";
        }

        author = from;
        return null;
    }

    /// <summary>The default message id (pubsub/README.md "Message Identification"): <c>from || seqno</c>.</summary>
    public static byte[] DefaultMessageId(PubsubMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = message.From ?? [];
        var seqno = message.Seqno ?? [];
        var id = new byte[from.Length + seqno.Length];
        from.CopyTo(id, 0);
        seqno.CopyTo(id, from.Length);
        return id;
    }

    /// <summary>The default id under StrictNoSign, where there is no author: SHA-256 of topic and data.</summary>
    public static byte[] ContentMessageId(PubsubMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var topic = System.Text.Encoding.UTF8.GetBytes(message.Topic);
        using var h = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, topic.Length);
        h.AppendData(len);
        h.AppendData(topic);
        h.AppendData(message.Data ?? []);
        return h.GetHashAndReset();
    }
}
