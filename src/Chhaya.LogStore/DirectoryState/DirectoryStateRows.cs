// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.LogStore.DirectoryState;

/// <summary>
/// One published epoch of a directory this node runs: the root and the signed head.
/// </summary>
/// <remarks>
/// The directory-state tables hold a producer's tree. They are append-only like the history (the
/// database refuses UPDATE and DELETE) but not hash-chained row by row: their integrity is the tree's
/// own, since every epoch's root is signed into a head that the hash-chained history keeps.
/// </remarks>
public sealed class DirectoryEpochRow
{
    public string DirectoryKey { get; set; } = "";

    public long Epoch { get; set; }

    public byte[] Root { get; set; } = [];

    public byte[] SignedHead { get; set; } = [];
}

/// <summary>The state of one tree node as of one epoch; the row with the highest epoch per label is current.</summary>
public sealed class DirectoryNodeRow
{
    public string DirectoryKey { get; set; } = "";

    /// <summary>The node label's serialized form (opaque to the store).</summary>
    public byte[] Label { get; set; } = [];

    /// <summary>The epoch whose commit wrote this state.</summary>
    public long Epoch { get; set; }

    /// <summary>The node's state, serialized by the directory (opaque to the store).</summary>
    public byte[] State { get; set; } = [];
}

/// <summary>One version of one label's value.</summary>
public sealed class DirectoryValueStateRow
{
    public string DirectoryKey { get; set; } = "";

    public byte[] Label { get; set; } = [];

    public long Version { get; set; }

    public long Epoch { get; set; }

    public byte[] Value { get; set; } = [];
}
