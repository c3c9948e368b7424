// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Vkd.Verification;

/// <summary>Names the verification check that failed, so callers and logs can tell rejections apart.</summary>
public enum VkdCheck
{
    /// <summary>A label in the proof has bits set past its length and is not the suite's empty label.</summary>
    LabelNotWellFormed,

    /// <summary>A Merkle path step is not a real parent/child relation (labels, direction or order disagree).</summary>
    MembershipPathMalformed,

    /// <summary>The Merkle path does not hash up to the expected root.</summary>
    MembershipRootMismatch,

    /// <summary>The absent label is one of, or lies under, the longest prefix's children.</summary>
    NonMembershipLabelUnderChild,

    /// <summary>The claimed longest prefix is not a prefix of the absent label.</summary>
    NonMembershipPrefixNotPrefix,

    /// <summary>The claimed longest prefix is not the longest common prefix of its children.</summary>
    NonMembershipPrefixNotChildrenLcp,

    /// <summary>The children do not hash to the longest prefix's value, or its membership proof is for another label.</summary>
    NonMembershipPrefixHashMismatch,

    /// <summary>The children are on the wrong sides of the longest prefix.</summary>
    NonMembershipChildrenMisplaced,

    /// <summary>The VRF public key is malformed or the VRF proof does not verify.</summary>
    VrfProofInvalid,

    /// <summary>The VRF output does not equal the tree position the proof uses.</summary>
    VrfLabelMismatch,

    /// <summary>The opened value, nonce and epoch do not hash to the proven leaf.</summary>
    CommitmentMismatch,

    /// <summary>A lookup proof's version or epoch is impossible for the current epoch.</summary>
    LookupVersionOutOfRange,

    /// <summary>A history proof has no update proofs.</summary>
    HistoryEmpty,

    /// <summary>History versions are not consecutive and decreasing, start at 0, or end after the current epoch.</summary>
    HistoryVersionsInvalid,

    /// <summary>The history proof does not match the requested history parameters.</summary>
    HistoryParamsMismatch,

    /// <summary>The number of marker proofs is not what the marker versions require.</summary>
    HistoryMarkerCount,

    /// <summary>The epochs of the update proofs increase while versions decrease.</summary>
    HistoryEpochsNotDecreasing,

    /// <summary>A previous-version proof is missing for a version above 1, or present for version 1.</summary>
    HistoryPreviousVersionProof,

    /// <summary>A future marker version is proven present.</summary>
    HistoryFutureMarkerPresent,

    /// <summary>An append-only proof's step counts do not match the hashes given.</summary>
    AuditShape,

    /// <summary>An element of an append-only proof is malformed (root label, not a leaf where a leaf is required).</summary>
    AuditElementMalformed,

    /// <summary>Two elements of an append-only proof overlap (one label is a prefix of, or equal to, another).</summary>
    AuditElementsOverlap,

    /// <summary>The elements of a streamed append-only proof are not in an order the streaming verifier can merge.</summary>
    AuditOrder,

    /// <summary>The untouched subtrees do not hash to the start root.</summary>
    AuditStartRootMismatch,

    /// <summary>The untouched subtrees plus the inserted leaves do not hash to the end root.</summary>
    AuditEndRootMismatch,

    /// <summary>The epoch head's signature, chain link or fields do not check.</summary>
    EpochHeadInvalid,
}
