// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.LogStore.Storage;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.LogStore.DirectoryState;

/// <summary>
/// The tree of a directory this node runs, kept in the same database as the history. Epochs commit
/// atomically and strictly in order; nothing is ever overwritten, and reads stream so that a large tree
/// is never held twice in memory.
/// </summary>
public sealed class DirectoryStateStore(LogStoreContextFactory contexts, string directoryKey)
{
    /// <summary>The directory these rows belong to (several directories can share one database).</summary>
    public string DirectoryKey { get; } = string.IsNullOrWhiteSpace(directoryKey)
        ? throw new ArgumentException("A directory key is required.", nameof(directoryKey))
        : directoryKey;

    public async Task<long?> GetLatestEpochAsync(CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        return await db.DirectoryEpochs.Where(e => e.DirectoryKey == DirectoryKey)
            .MaxAsync(e => (long?)e.Epoch, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DirectoryEpochRow?> GetEpochAsync(long epoch, CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        return await db.DirectoryEpochs.AsNoTracking()
            .SingleOrDefaultAsync(e => e.DirectoryKey == DirectoryKey && e.Epoch == epoch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every stored version of one label, oldest first.</summary>
    public async Task<IReadOnlyList<DirectoryValueStateRow>> GetValueStatesAsync(byte[] label, CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        return await db.DirectoryValueStates.AsNoTracking()
            .Where(v => v.DirectoryKey == DirectoryKey && v.Label == label)
            .OrderBy(v => v.Version)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current state of every node (its row with the highest epoch), streamed in label order.</summary>
    public async IAsyncEnumerable<DirectoryNodeRow> ReadCurrentNodesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DirectoryNodeRow? pending = null;
        await foreach (var row in StreamAsync<DirectoryNodeRow>(
            db => db.DirectoryNodes.AsNoTracking().Where(n => n.DirectoryKey == DirectoryKey)
                .OrderBy(n => n.Label).ThenBy(n => n.Epoch), cancellationToken).ConfigureAwait(false))
        {
            if (pending is not null && !pending.Label.AsSpan().SequenceEqual(row.Label))
            {
                yield return pending;
            }

            pending = row;
        }

        if (pending is not null)
        {
            yield return pending;
        }
    }

    /// <summary>Every value state, in commit order.</summary>
    public IAsyncEnumerable<DirectoryValueStateRow> ReadValueStatesAsync(CancellationToken cancellationToken) =>
        StreamAsync<DirectoryValueStateRow>(
            db => db.DirectoryValueStates.AsNoTracking().Where(v => v.DirectoryKey == DirectoryKey)
                .OrderBy(v => v.Epoch).ThenBy(v => v.Label).ThenBy(v => v.Version),
            cancellationToken);

    /// <summary>
    /// Stores one epoch with its node states and value states in a single transaction.
    /// </summary>
    /// <exception cref="InvalidOperationException">The epoch is not the next one, or a label's version is already stored.</exception>
    public async Task CommitEpochAsync(DirectoryEpochRow epoch, IReadOnlyCollection<DirectoryNodeRow> nodes, IReadOnlyCollection<DirectoryValueStateRow> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(values);
        using var db = contexts.Create();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var latest = await db.DirectoryEpochs.Where(e => e.DirectoryKey == DirectoryKey)
                .MaxAsync(e => (long?)e.Epoch, cancellationToken).ConfigureAwait(false);
            var expected = (latest ?? -1) + 1;
            if (epoch.Epoch != expected)
            {
                throw new InvalidOperationException($"Epoch {epoch.Epoch} is not the next epoch {expected} of directory {DirectoryKey}.");
            }

            var seen = new HashSet<(string, long)>();
            foreach (var value in values)
            {
                if (!seen.Add((Convert.ToHexString(value.Label), value.Version)))
                {
                    throw new InvalidOperationException($"Version {value.Version} of a label appears twice in epoch {epoch.Epoch}.");
                }
            }

            foreach (var group in values.GroupBy(v => Convert.ToHexString(v.Label)))
            {
                var label = group.First().Label;
                var versions = group.Select(v => v.Version).ToList();
                if (await db.DirectoryValueStates.AnyAsync(v => v.DirectoryKey == DirectoryKey && v.Label == label && versions.Contains(v.Version), cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"A version of a label in epoch {epoch.Epoch} is already stored.");
                }
            }

            epoch.DirectoryKey = DirectoryKey;
            db.DirectoryEpochs.Add(epoch);
            foreach (var node in nodes)
            {
                node.DirectoryKey = DirectoryKey;
                node.Epoch = epoch.Epoch;
                db.DirectoryNodes.Add(node);
            }

            foreach (var value in values)
            {
                value.DirectoryKey = DirectoryKey;
                db.DirectoryValueStates.Add(value);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e)
            {
                // A concurrent writer committed the same epoch first: the primary keys refuse the second.
                throw new InvalidOperationException($"Epoch {epoch.Epoch} of directory {DirectoryKey} was committed concurrently.", e);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<T> StreamAsync<T>(Func<LogStoreContext, IQueryable<T>> query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One streaming query: rows arrive as the caller consumes them, so memory stays at one row
        // however large the tree is.
        using var db = contexts.Create();
        await foreach (var row in query(db).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }
}
