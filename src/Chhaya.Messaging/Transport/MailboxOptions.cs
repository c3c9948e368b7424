// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Transport;

/// <summary>Quotas and retention of a <see cref="Mailbox"/>.</summary>
public sealed class MailboxOptions
{
    /// <summary>Most envelopes held for one recipient.</summary>
    public int MaxEnvelopesPerRecipient { get; init; } = 1000;

    /// <summary>Most bytes held for one recipient.</summary>
    public long MaxBytesPerRecipient { get; init; } = 16L * 1024 * 1024;

    /// <summary>How long an envelope is held before it is dropped unread.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(14);

    /// <summary>How far a collection request's timestamp may be from this node's clock.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Most bytes held for all recipients together: anyone can register as a recipient, so the per-recipient quota
    /// alone would let a few thousand registrations exhaust memory.
    /// </summary>
    public long MaxTotalBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most recipients one mailbox serves.</summary>
    public int MaxRecipients { get; init; } = 1000;
}
