// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Messaging.Wire;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.Messaging.Prekeys;

/// <summary>
/// What a user publishes in the DHT (as the payload of the signed record <c>/chhaya/prekeys/PEERID</c>, signed by
/// the node's libp2p key): its prekey bundle and the mailbox peers that hold envelopes for it while it is offline.
/// <code>
/// record = u8 version=1 ‖ u32 len ‖ bundle ‖ u8 count (0..4) ‖ (u8 len ‖ mailbox peer id)*
/// </code>
/// The bundle's prekeys are signed by the identity key; the record as a whole by the peer id the key directory
/// binds to the user's handle, so a stranger can neither swap prekeys nor redirect mail.
/// </summary>
public sealed record PrekeyRecord(PrekeyBundle Bundle, IReadOnlyList<PeerId> Mailboxes)
{
    public const byte Version = 1;
    public const int MaxMailboxes = 4;

    /// <summary>Longest encoding.</summary>
    public static readonly int MaxEncodedLength = 1 + 4 + PrekeyBundle.MaxEncodedLength + 1 + (MaxMailboxes * (1 + PeerId.MaxLength));

    public byte[] Encode()
    {
        if (Mailboxes.Count > MaxMailboxes)
        {
            throw new ArgumentException($"A prekey record names at most {MaxMailboxes} mailboxes.");
        }

        var writer = new WireWriter(8 * 1024);
        writer.Byte(Version).Prefixed32(Bundle.Encode()).Byte((byte)Mailboxes.Count);
        foreach (var mailbox in Mailboxes)
        {
            writer.Byte((byte)mailbox.Bytes.Length).Fixed(mailbox.Bytes);
        }

        return writer.ToArray();
    }

    /// <exception cref="MalformedInputException">Not exactly one well-formed version-1 record.</exception>
    public static PrekeyRecord Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"A prekey record is at most {MaxEncodedLength} bytes, not {encoded.Length}.");
        }

        var reader = new WireReader(encoded);
        if (reader.ReadByte("prekey record version") != Version)
        {
            throw new MalformedInputException("Unsupported prekey record version.");
        }

        var bundle = PrekeyBundle.Decode(reader.ReadPrefixed32(PrekeyBundle.MaxEncodedLength, "prekey bundle"));
        int count = reader.ReadByte("mailbox count");
        if (count > MaxMailboxes)
        {
            throw new MalformedInputException($"A prekey record names at most {MaxMailboxes} mailboxes, not {count}.");
        }

        var mailboxes = new List<PeerId>(count);
        for (var i = 0; i < count; i++)
        {
            int length = reader.ReadByte("mailbox peer id length");
            if (length == 0 || length > PeerId.MaxLength)
            {
                throw new MalformedInputException($"A mailbox peer id is 1 to {PeerId.MaxLength} bytes, not {length}.");
            }

            mailboxes.Add(PeerId.FromBytes(reader.ReadFixed(length, "mailbox peer id")));
        }

        reader.EnsureEnd("prekey record");
        return new PrekeyRecord(bundle, mailboxes);
    }
}
