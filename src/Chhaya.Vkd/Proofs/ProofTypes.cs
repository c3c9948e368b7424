// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Proofs;

// The proof structures of akd_core (types/mod.rs), one record per protobuf message of
// akd_core/src/proto/specs/types.proto. Lists are immutable snapshots; byte fields are copies.

/// <summary>A labelled node value: a leaf or an untouched subtree root.</summary>
public sealed record AzksElement(NodeLabel Label, Digest Value);

/// <summary>Which side of its parent the path node sits on.</summary>
public enum Direction
{
    /// <summary>The path continues to the left (bit 0); the sibling is on the right.</summary>
    Left = 0,

    /// <summary>The path continues to the right (bit 1); the sibling is on the left.</summary>
    Right = 1,
}

/// <summary>One level of a Merkle path: the parent's label, the sibling on the other side, and our side.</summary>
public sealed record SiblingProof(NodeLabel Label, AzksElement Sibling, Direction Direction);

/// <summary>Merkle proof that a node with <see cref="Label"/> and value <see cref="HashValue"/> is in the tree. Sibling proofs run root to leaf.</summary>
public sealed record MembershipProof(NodeLabel Label, Digest HashValue, IReadOnlyList<SiblingProof> SiblingProofs);

/// <summary>Proof that <see cref="Label"/> is absent: its longest prefix in the tree, that node's two children, and the prefix's membership.</summary>
public sealed record NonMembershipProof(
    NodeLabel Label,
    NodeLabel LongestPrefix,
    AzksElement LeftChild,
    AzksElement RightChild,
    MembershipProof LongestPrefixMembershipProof);

/// <summary>AKD's lookup proof for the latest version of a label.</summary>
public sealed record LookupProof(
    ulong Epoch,
    ReadOnlyMemory<byte> Value,
    ulong Version,
    ReadOnlyMemory<byte> ExistenceVrfProof,
    MembershipProof ExistenceProof,
    ReadOnlyMemory<byte> MarkerVrfProof,
    MembershipProof MarkerProof,
    ReadOnlyMemory<byte> FreshnessVrfProof,
    NonMembershipProof FreshnessProof,
    ReadOnlyMemory<byte> CommitmentNonce);

/// <summary>One version in a key history: its existence and the retirement of the version before it.</summary>
public sealed record UpdateProof(
    ulong Epoch,
    ReadOnlyMemory<byte> Value,
    ulong Version,
    ReadOnlyMemory<byte> ExistenceVrfProof,
    MembershipProof ExistenceProof,
    ReadOnlyMemory<byte>? PreviousVersionVrfProof,
    MembershipProof? PreviousVersionProof,
    ReadOnlyMemory<byte> CommitmentNonce);

/// <summary>AKD's key history proof.</summary>
public sealed record HistoryProof(
    IReadOnlyList<UpdateProof> UpdateProofs,
    IReadOnlyList<ReadOnlyMemory<byte>> PastMarkerVrfProofs,
    IReadOnlyList<MembershipProof> ExistenceOfPastMarkerProofs,
    IReadOnlyList<ReadOnlyMemory<byte>> FutureMarkerVrfProofs,
    IReadOnlyList<NonMembershipProof> NonExistenceOfFutureMarkerProofs);

/// <summary>Append-only proof for one epoch step: the new leaves and the maximal untouched subtrees.</summary>
public sealed record SingleAppendOnlyProof(IReadOnlyList<AzksElement> Inserted, IReadOnlyList<AzksElement> UnchangedNodes);

/// <summary>Append-only proof over several consecutive steps; <see cref="Epochs"/>[i] is the start epoch of step i.</summary>
public sealed record AppendOnlyProof(IReadOnlyList<SingleAppendOnlyProof> Proofs, IReadOnlyList<ulong> Epochs);

/// <summary>What a verified lookup or history entry says: the value of a version and the epoch it was published in.</summary>
public sealed record VerifyResult(ulong Epoch, ulong Version, ReadOnlyMemory<byte> Value);
