// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Storage;

/// <summary>A persisted trie node (the latest state of the node with this label).</summary>
public sealed record StoredNode(
    NodeLabel Label,
    NodeLabel? Left,
    NodeLabel? Right,
    Digest Hash,
    bool IsLeaf,
    ulong BirthEpoch,
    ulong LastEpoch,
    ulong MinDescendantEpoch);

/// <summary>One published version of a directory label (append-only).</summary>
public sealed record StoredValueState(ReadOnlyMemory<byte> AkdLabel, ulong Version, ulong Epoch, ReadOnlyMemory<byte> Value);

/// <summary>One published epoch: its root and the encoded signed head (append-only).</summary>
public sealed record StoredEpoch(ulong Epoch, Digest Root, ReadOnlyMemory<byte> SignedHead);

/// <summary>Everything one publish changes, committed atomically.</summary>
public sealed record EpochCommit(StoredEpoch Epoch, IReadOnlyList<StoredNode> Nodes, IReadOnlyList<StoredValueState> ValueStates);

/// <summary>
/// Where a directory keeps its tree, versions and epochs. Implementations must make
/// <see cref="CommitEpochAsync"/> atomic (all of it or none), accept epochs only in order from 0 with
/// no gaps, and never change a stored epoch or value state. Every implementation should pass
/// <see cref="VkdStoreConformance"/>.
/// </summary>
public interface IVkdStore
{
    /// <summary>The newest committed epoch, or null for an empty store.</summary>
    Task<ulong?> GetLatestEpochAsync(CancellationToken cancellationToken = default);

    /// <summary>A committed epoch, or null.</summary>
    Task<StoredEpoch?> GetEpochAsync(ulong epoch, CancellationToken cancellationToken = default);

    /// <summary>The versions of one label, oldest first.</summary>
    Task<IReadOnlyList<StoredValueState>> GetValueStatesAsync(ReadOnlyMemory<byte> akdLabel, CancellationToken cancellationToken = default);

    /// <summary>Every stored node (latest state), in no particular order.</summary>
    IAsyncEnumerable<StoredNode> ReadNodesAsync(CancellationToken cancellationToken = default);

    /// <summary>Every value state, in commit order.</summary>
    IAsyncEnumerable<StoredValueState> ReadValueStatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Commits one epoch atomically.</summary>
    /// <exception cref="InvalidOperationException">The epoch is not the next one, or a value state (label, version) already exists.</exception>
    Task CommitEpochAsync(EpochCommit commit, CancellationToken cancellationToken = default);
}
