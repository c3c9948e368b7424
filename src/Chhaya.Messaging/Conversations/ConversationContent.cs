// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Conversations;

/// <summary>What a ratchet message carries.</summary>
public enum ContentKind : byte
{
    /// <summary>A user message with an id, a per-conversation sequence number and a body.</summary>
    Text = 1,

    /// <summary>A delivery receipt for one or more message ids.</summary>
    Delivered = 2,

    /// <summary>A read receipt for one or more message ids.</summary>
    Read = 3,
}

/// <summary>
/// The plaintext inside a ratchet message. Receipts are ratchet messages like any other, so they are encrypted,
/// authenticated and sealed the same way and cannot be told apart on the wire.
/// </summary>
/// <remarks>
/// <c>u8 version=1 ‖ u8 kind ‖</c> then for text <c>id (16) ‖ u64 sequence ‖ i64 sent-at (Unix ms) ‖ u32 len ‖ body</c>,
/// for receipts <c>u8 count (1..64) ‖ count × id (16)</c>.
/// </remarks>
public sealed record ConversationContent(ContentKind Kind, byte[] MessageId, ulong Sequence, long SentAtUnixMs, byte[] Body, IReadOnlyList<byte[]> ReceiptFor)
{
    public const byte Version = 1;
    public const int MessageIdLength = 16;
    public const int MaxReceiptIds = 64;
    public const int MaxBodyLength = 60 * 1024;

    public static ConversationContent Text(byte[] messageId, ulong sequence, long sentAtUnixMs, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(body);
        Guard.ExactLength(messageId.Length, MessageIdLength, nameof(messageId));
        Guard.MaxLength(body.Length, MaxBodyLength, nameof(body));
        return new ConversationContent(ContentKind.Text, messageId, sequence, sentAtUnixMs, body, []);
    }

    public static ConversationContent Receipt(ContentKind kind, IReadOnlyList<byte[]> messageIds)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (kind is not (ContentKind.Delivered or ContentKind.Read))
        {
            throw new ArgumentException("A receipt is Delivered or Read.", nameof(kind));
        }

        Guard.InRange(messageIds.Count, 1, MaxReceiptIds, nameof(messageIds));
        foreach (var id in messageIds)
        {
            Guard.ExactLength(id.Length, MessageIdLength, nameof(messageIds));
        }

        return new ConversationContent(kind, [], 0, 0, [], messageIds);
    }

    public byte[] Encode()
    {
        var writer = new WireWriter(32 + Body.Length + (ReceiptFor.Count * MessageIdLength));
        writer.Byte(Version).Byte((byte)Kind);
        if (Kind == ContentKind.Text)
        {
            writer.Fixed(MessageId).UInt64(Sequence).Int64(SentAtUnixMs).Prefixed32(Body);
        }
        else
        {
            writer.Byte((byte)ReceiptFor.Count);
            foreach (var id in ReceiptFor)
            {
                writer.Fixed(id);
            }
        }

        return writer.ToArray();
    }

    /// <exception cref="MalformedInputException">Wrong version or kind, over a bound, truncated, or trailing bytes.</exception>
    public static ConversationContent Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new WireReader(encoded);
        var version = reader.ReadByte("content version");
        if (version != Version)
        {
            throw new MalformedInputException($"Content version {version} is not supported.");
        }

        var kind = (ContentKind)reader.ReadByte("content kind");
        ConversationContent content;
        switch (kind)
        {
            case ContentKind.Text:
                var id = reader.ReadFixed(MessageIdLength, "message id").ToArray();
                var sequence = reader.ReadUInt64("sequence");
                var sentAt = reader.ReadInt64("sent at");
                var body = reader.ReadPrefixed32(MaxBodyLength, "body").ToArray();
                content = new ConversationContent(kind, id, sequence, sentAt, body, []);
                break;
            case ContentKind.Delivered or ContentKind.Read:
                var count = reader.ReadByte("receipt count");
                if (count is 0 or > MaxReceiptIds)
                {
                    throw new MalformedInputException($"A receipt names 1..{MaxReceiptIds} messages, not {count}.");
                }

                var ids = new byte[count][];
                for (var i = 0; i < count; i++)
                {
                    ids[i] = reader.ReadFixed(MessageIdLength, "receipt message id").ToArray();
                }

                content = new ConversationContent(kind, [], 0, 0, [], ids);
                break;
            default:
                throw new MalformedInputException($"Content kind {(byte)kind} is unknown.");
        }

        reader.EnsureEnd("The content");
        return content;
    }
}
