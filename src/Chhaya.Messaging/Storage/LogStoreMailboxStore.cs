// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Data.Common;
using Chhaya.LogStore.Mailbox;
using Chhaya.LogStore.Storage;
using Chhaya.Messaging.Transport;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Messaging.Storage;

/// <summary>
/// Keeps a <see cref="Mailbox"/> in the node database (<c>mailbox_recipients</c>, <c>mailbox_envelopes</c>), on SQLite
/// or PostgreSQL. The rows are working state, deleted once collected and acknowledged or expired; the envelopes in
/// them are sealed to their recipients, so the database learns what the mailbox learns: tags, sizes and times.
/// Database failures surface as <see cref="IOException"/>, so the mailbox refuses the deposit or collection in hand
/// instead of answering as if it had been kept.
/// </summary>
public sealed class LogStoreMailboxStore : IMailboxStore
{
    private const int DeleteChunk = 500;

    private readonly LogStoreContextFactory _contexts;
    private readonly string _mailboxId;

    /// <param name="contexts">The node database.</param>
    /// <param name="mailboxId">This mailbox's identity (its peer id bytes): rows are kept per mailbox.</param>
    public LogStoreMailboxStore(LogStoreContextFactory contexts, ReadOnlySpan<byte> mailboxId)
    {
        _contexts = contexts ?? throw new ArgumentNullException(nameof(contexts));
        if (mailboxId.IsEmpty || mailboxId.Length * 2 > MailboxModel.MaxMailboxIdLength)
        {
            throw new ArgumentException($"A mailbox id is 1 to {MailboxModel.MaxMailboxIdLength / 2} bytes.", nameof(mailboxId));
        }

        _mailboxId = Convert.ToHexString(mailboxId);
    }

    public Task<IReadOnlyList<StoredRecipient>> ReadRecipientsAsync(int limit, CancellationToken cancellationToken) =>
        GuardAsync<IReadOnlyList<StoredRecipient>>(async () =>
        {
            using var context = _contexts.Create();
            var rows = await context.MailboxRecipients.AsNoTracking()
                .Where(r => r.MailboxId == _mailboxId)
                .OrderByDescending(r => r.LastSeenUnixMs).ThenBy(r => r.RecipientTag)
                .Take(limit)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => new StoredRecipient(r.RecipientTag, r.NextSequence, r.LastCollectUnixMs, r.LastSeenUnixMs))];
        });

    public Task<IReadOnlyList<StoredEnvelope>> ReadEnvelopesAsync(string tag, int limit, int maxEnvelopeLength, CancellationToken cancellationToken) =>
        GuardAsync<IReadOnlyList<StoredEnvelope>>(async () =>
        {
            using var context = _contexts.Create();
            // The length is checked by the database, so an oversized row is never loaded into memory.
            var rows = await context.MailboxEnvelopes.AsNoTracking()
                .Where(r => r.MailboxId == _mailboxId && r.RecipientTag == tag && r.Envelope.Length <= maxEnvelopeLength)
                .OrderBy(r => r.Sequence)
                .Take(limit)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => new StoredEnvelope(r.RecipientTag, r.Sequence, r.StoredAtUnixMs, r.Envelope))];
        });

    public Task SaveRecipientAsync(StoredRecipient recipient, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(recipient);
            using var context = _contexts.Create();
            var row = await context.MailboxRecipients
                .FirstOrDefaultAsync(r => r.MailboxId == _mailboxId && r.RecipientTag == recipient.Tag, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                row = new MailboxRecipientRow { MailboxId = _mailboxId, RecipientTag = recipient.Tag };
                context.MailboxRecipients.Add(row);
            }

            row.NextSequence = Math.Max(row.NextSequence, recipient.NextSequence);
            row.LastCollectUnixMs = recipient.LastCollectUnixMs;
            row.LastSeenUnixMs = recipient.LastSeenUnixMs;
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    public Task AddEnvelopeAsync(StoredEnvelope envelope, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(envelope);
            using var context = _contexts.Create();
            var recipient = await context.MailboxRecipients
                .FirstOrDefaultAsync(r => r.MailboxId == _mailboxId && r.RecipientTag == envelope.Tag, cancellationToken).ConfigureAwait(false);
            if (recipient is null)
            {
                recipient = new MailboxRecipientRow { MailboxId = _mailboxId, RecipientTag = envelope.Tag, LastSeenUnixMs = envelope.StoredAtUnixMs };
                context.MailboxRecipients.Add(recipient);
            }

            // One SaveChanges is one transaction: the envelope and its recipient's counter move together.
            recipient.NextSequence = Math.Max(recipient.NextSequence, envelope.Sequence + 1);
            context.MailboxEnvelopes.Add(new MailboxEnvelopeRow
            {
                MailboxId = _mailboxId,
                RecipientTag = envelope.Tag,
                Sequence = envelope.Sequence,
                StoredAtUnixMs = envelope.StoredAtUnixMs,
                Envelope = envelope.Envelope,
            });
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    public Task DeleteEnvelopesAsync(string tag, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(sequences);
            using var context = _contexts.Create();
            foreach (var chunk in sequences.Chunk(DeleteChunk))
            {
                await context.MailboxEnvelopes
                    .Where(r => r.MailboxId == _mailboxId && r.RecipientTag == tag && chunk.Contains(r.Sequence))
                    .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        });

    public Task<int> DeleteEnvelopesOutsideAsync(long cutoffUnixMs, long futureUnixMs, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            using var context = _contexts.Create();
            return await context.MailboxEnvelopes
                .Where(r => r.MailboxId == _mailboxId && (r.StoredAtUnixMs < cutoffUnixMs || r.StoredAtUnixMs > futureUnixMs))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        });

    public Task DeleteRecipientAsync(string tag, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            using var context = _contexts.Create();
            await context.MailboxEnvelopes.Where(r => r.MailboxId == _mailboxId && r.RecipientTag == tag)
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await context.MailboxRecipients.Where(r => r.MailboxId == _mailboxId && r.RecipientTag == tag)
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    private static async Task<T> GuardAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbUpdateException or DbException or InvalidOperationException)
        {
            throw new IOException("The mailbox could not use the node database: " + e.Message, e);
        }
    }
}
