// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.LogStore.DirectoryState;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Storage;

namespace Chhaya.Witness.Storage;

/// <summary>
/// The producer's tree in the node's database (SQLite or PostgreSQL), behind the directory's
/// <see cref="IVkdStore"/> interface. Epoch numbers are unsigned in the directory and signed in the
/// database; epochs beyond <see cref="long.MaxValue"/> are refused rather than wrapped.
/// </summary>
public sealed class LogStoreVkdStore(DirectoryStateStore store) : IVkdStore
{
    public async Task<ulong?> GetLatestEpochAsync(CancellationToken cancellationToken = default) =>
        await store.GetLatestEpochAsync(cancellationToken).ConfigureAwait(false) is { } epoch ? (ulong)epoch : null;

    public async Task<StoredEpoch?> GetEpochAsync(ulong epoch, CancellationToken cancellationToken = default)
    {
        if (epoch > long.MaxValue)
        {
            return null;
        }

        var row = await store.GetEpochAsync((long)epoch, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new StoredEpoch((ulong)row.Epoch, new Digest(row.Root), row.SignedHead);
    }

    public async Task<IReadOnlyList<StoredValueState>> GetValueStatesAsync(ReadOnlyMemory<byte> akdLabel, CancellationToken cancellationToken = default)
    {
        var rows = await store.GetValueStatesAsync(akdLabel.ToArray(), cancellationToken).ConfigureAwait(false);
        return rows.Select(ToValueState).ToList();
    }

    public async IAsyncEnumerable<StoredNode> ReadNodesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in store.ReadCurrentNodesAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return StoredNodeCodec.DecodeState(StoredNodeCodec.DecodeLabel(row.Label), row.State);
        }
    }

    public async IAsyncEnumerable<StoredValueState> ReadValueStatesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in store.ReadValueStatesAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ToValueState(row);
        }
    }

    public Task CommitEpochAsync(EpochCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.Epoch.Epoch > long.MaxValue || commit.ValueStates.Any(v => v.Version > long.MaxValue || v.Epoch > long.MaxValue))
        {
            throw new InvalidOperationException("Epochs and versions beyond 2^63-1 cannot be stored.");
        }

        var epoch = new DirectoryEpochRow { Epoch = (long)commit.Epoch.Epoch, Root = commit.Epoch.Root.ToArray(), SignedHead = commit.Epoch.SignedHead.ToArray() };
        var nodes = commit.Nodes.Select(n => new DirectoryNodeRow { Label = StoredNodeCodec.EncodeLabel(n.Label), State = StoredNodeCodec.EncodeState(n) }).ToList();
        var values = commit.ValueStates.Select(v => new DirectoryValueStateRow { Label = v.AkdLabel.ToArray(), Version = (long)v.Version, Epoch = (long)v.Epoch, Value = v.Value.ToArray() }).ToList();
        return store.CommitEpochAsync(epoch, nodes, values, cancellationToken);
    }

    private static StoredValueState ToValueState(DirectoryValueStateRow row) =>
        new(row.Label, (ulong)row.Version, (ulong)row.Epoch, row.Value);
}
