// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.LogStore.Mailbox;

/// <summary>
/// A recipient a mailbox node holds mail for: registered by a signed collection, with the next sequence number to
/// give an envelope and the timestamp of the last accepted collection (replay protection across restarts).
/// </summary>
/// <remarks>
/// The mailbox tables are working state, not history: rows are deleted once collected or expired, so they are
/// neither hash-chained nor guarded by the append-only triggers. Everything in them is sealed (the node cannot read
/// the envelopes) and is re-validated when read back.
/// </remarks>
public sealed class MailboxRecipientRow
{
    /// <summary>The mailbox node (hex of its peer id), so several nodes can share one PostgreSQL database.</summary>
    public string MailboxId { get; set; } = "";

    /// <summary>The recipient tag (hex of 32 bytes) the envelopes carry.</summary>
    public string RecipientTag { get; set; } = "";

    /// <summary>The sequence number the next deposited envelope gets (never reused for this recipient).</summary>
    public long NextSequence { get; set; } = 1;

    /// <summary>The timestamp (Unix ms) of the last accepted collection; a request must be later.</summary>
    public long LastCollectUnixMs { get; set; } = long.MinValue;

    /// <summary>When the recipient last registered or collected (Unix ms); long-silent recipients are dropped.</summary>
    public long LastSeenUnixMs { get; set; }
}

/// <summary>One sealed envelope held for a recipient.</summary>
public sealed class MailboxEnvelopeRow
{
    public string MailboxId { get; set; } = "";

    public string RecipientTag { get; set; } = "";

    /// <summary>Increasing per recipient; the collector acknowledges by sequence number.</summary>
    public long Sequence { get; set; }

    /// <summary>When the mailbox accepted it (Unix ms); it is dropped after the retention time.</summary>
    public long StoredAtUnixMs { get; set; }

    /// <summary>The sealed envelope, exactly one padding bucket long.</summary>
    public byte[] Envelope { get; set; } = [];
}
