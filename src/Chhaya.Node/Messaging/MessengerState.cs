// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;
using System.Text.Json.Serialization;
using Chhaya.Messaging;

namespace Chhaya.Node.Messaging;

/// <summary>A message the local user received, as kept in the inbox and shown by <c>chhaya msg inbox</c>.</summary>
/// <param name="Id">Local, increasing number (for paging and follow mode).</param>
/// <param name="From">The sender's handle as its sender certificate names it.</param>
/// <param name="FromIdentity">The sender's identity key, hex.</param>
/// <param name="Verified">True when the key directory (with a quorum certificate) binds <paramref name="From"/> to that identity key.</param>
/// <param name="MessageId">The sender's message id, hex.</param>
/// <param name="Text">The message text.</param>
/// <param name="SentAtUnixMs">When the sender says it sent it.</param>
/// <param name="ReceivedAtUnixMs">When this node released it to the inbox.</param>
/// <param name="Late">Arrived after later messages of the conversation were already released.</param>
public sealed record InboxEntry(long Id, string From, string FromIdentity, bool Verified, string MessageId, string Text, long SentAtUnixMs, long ReceivedAtUnixMs, bool Late);

/// <summary>A message the local user sent, and how far it got.</summary>
public sealed record SentEntry(string MessageId, string To, string Text, long SentAtUnixMs)
{
    /// <summary><c>queued</c>, <c>delivered</c> (the recipient's node accepted it), <c>in-mailbox</c>, or <c>acknowledged</c> (delivery receipt).</summary>
    public string Status { get; set; } = "queued";
}

/// <summary>Where to deliver to a contact: its peer and the mailboxes its prekey record named.</summary>
public sealed record ContactRoute(string Handle, string PeerId, IReadOnlyList<string> Mailboxes);

/// <summary>A received message held back for ordering (its ratchet key is used, the sender was answered).</summary>
public sealed record HeldMessage(string Peer, byte[] MessageId, ulong Sequence, long SentAtUnixMs, byte[] Body, long HeldSinceUnixMs);

/// <summary>A sealed envelope waiting for delivery.</summary>
public sealed record QueuedEnvelope(string Recipient, byte[] Envelope);

/// <summary>
/// Everything the messenger keeps besides prekeys and ratchet states, sealed under the storage key in
/// <c>messaging-state.sealed</c>: conversation counters, which stored session is current per peer, routes,
/// the outbox, the inbox and the sent list (the last <see cref="MaxKept"/> of each).
/// </summary>
public sealed class MessengerState
{
    public const int MaxKept = 1000;

    /// <summary>Most bytes of held-back message bodies written to the state.</summary>
    public const int MaxHeldBytes = 8 * 1024 * 1024;

    /// <summary>Largest sealed state read back (the outbox is bounded too).</summary>
    public const int MaxLength = 64 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public Dictionary<string, ulong[]> Counters { get; set; } = [];

    public Dictionary<string, string> Sessions { get; set; } = [];

    /// <summary>
    /// Per peer, the snapshot version of its current session that this state was saved with: on a restart that exact
    /// snapshot is loaded, so the sessions, the inbox and the counters always come back as one consistent whole.
    /// (Missing for a state written before versions were kept: the latest snapshot is loaded.)
    /// </summary>
    public Dictionary<string, long> SessionVersions { get; set; } = [];

    /// <summary>Base keys of accepted initial messages (PQXDH §4.2 replay protection), restored after a restart.</summary>
    public List<AcceptedBaseKey> BaseKeys { get; set; } = [];

    /// <summary>Messages received but held back for ordering (at most <see cref="MaxHeldBytes"/> of bodies are kept).</summary>
    public List<HeldMessage> Held { get; set; } = [];

    /// <summary>Per mailbox peer id, the highest envelope sequence number handled and saved (sent as the acknowledgement).</summary>
    public Dictionary<string, long> MailboxAcks { get; set; } = [];

    public Dictionary<string, ContactRoute> Routes { get; set; } = [];

    public List<QueuedEnvelope> Outbox { get; set; } = [];

    public List<InboxEntry> Inbox { get; set; } = [];

    public List<SentEntry> Sent { get; set; } = [];

    public long NextInboxId { get; set; } = 1;

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="InvalidDataException">Not a messenger state.</exception>
    public static MessengerState Decode(ReadOnlySpan<byte> encoded)
    {
        try
        {
            var state = JsonSerializer.Deserialize<MessengerState>(encoded, Json) ?? throw new InvalidDataException("The messenger state is empty.");

            // A list written as null (or missing, from an older version) is an empty one.
            state.Counters ??= [];
            state.Sessions ??= [];
            state.SessionVersions ??= [];
            state.BaseKeys ??= [];
            state.MailboxAcks ??= [];
            state.Held ??= [];
            state.Routes ??= [];
            state.Outbox ??= [];
            state.Inbox ??= [];
            state.Sent ??= [];
            return state;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The messenger state is not well-formed: " + e.Message, e);
        }
    }

    /// <summary>Drops the oldest inbox and sent entries beyond <see cref="MaxKept"/>.</summary>
    public void Trim()
    {
        if (Inbox.Count > MaxKept)
        {
            Inbox.RemoveRange(0, Inbox.Count - MaxKept);
        }

        if (Sent.Count > MaxKept)
        {
            Sent.RemoveRange(0, Sent.Count - MaxKept);
        }
    }
}
