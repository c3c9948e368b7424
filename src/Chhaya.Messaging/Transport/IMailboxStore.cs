// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Transport;

/// <summary>A recipient as a <see cref="Mailbox"/> keeps it on disk.</summary>
/// <param name="Tag">The recipient tag, hex (64 characters).</param>
/// <param name="NextSequence">The sequence number the next deposited envelope gets.</param>
/// <param name="LastCollectUnixMs">The timestamp of the last accepted collection request.</param>
/// <param name="LastSeenUnixMs">When the recipient last registered or collected.</param>
public sealed record StoredRecipient(string Tag, long NextSequence, long LastCollectUnixMs, long LastSeenUnixMs);

/// <summary>An envelope as a <see cref="Mailbox"/> keeps it on disk.</summary>
public sealed record StoredEnvelope(string Tag, long Sequence, long StoredAtUnixMs, byte[] Envelope);

/// <summary>
/// Where a <see cref="Mailbox"/> keeps what it holds, so that a restart loses nothing. The mailbox calls it under its
/// own lock, and answers a depositor or collector only after the call returned. Everything read back is checked by
/// the mailbox again (form, recipient, quotas, age), as if it came from the network.
/// </summary>
public interface IMailboxStore
{
    /// <summary>At most <paramref name="limit"/> recipients, most recently seen first.</summary>
    Task<IReadOnlyList<StoredRecipient>> ReadRecipientsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="limit"/> envelopes held for <paramref name="tag"/>, lowest sequence first, leaving out
    /// rows longer than <paramref name="maxEnvelopeLength"/> without reading them.
    /// </summary>
    Task<IReadOnlyList<StoredEnvelope>> ReadEnvelopesAsync(string tag, int limit, int maxEnvelopeLength, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces a recipient.</summary>
    Task SaveRecipientAsync(StoredRecipient recipient, CancellationToken cancellationToken);

    /// <summary>Adds an envelope and moves its recipient's next sequence number past it, in one transaction.</summary>
    Task AddEnvelopeAsync(StoredEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>Deletes the named envelopes of <paramref name="tag"/>.</summary>
    Task DeleteEnvelopesAsync(string tag, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken);

    /// <summary>Deletes every envelope stored before <paramref name="cutoffUnixMs"/> or after <paramref name="futureUnixMs"/>.</summary>
    Task<int> DeleteEnvelopesOutsideAsync(long cutoffUnixMs, long futureUnixMs, CancellationToken cancellationToken);

    /// <summary>Deletes a recipient and whatever is held for it.</summary>
    Task DeleteRecipientAsync(string tag, CancellationToken cancellationToken);
}
