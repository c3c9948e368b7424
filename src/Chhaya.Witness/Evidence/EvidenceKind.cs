// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Witness.Evidence;

/// <summary>The kinds of misbehaviour a witness can prove to anyone, offline.</summary>
public enum EvidenceKind : byte
{
    /// <summary>Two directory-signed heads for one epoch with different roots.</summary>
    ConflictingHeads = 1,

    /// <summary>A directory-signed head whose previous root is not the root the directory signed for the epoch before.</summary>
    NonExtendingHead = 2,

    /// <summary>
    /// Two consecutive signed heads and an append-only proof between them that does not verify. Proofs are
    /// not signed, so this shows that the proof served for these heads fails, not who served it.
    /// </summary>
    AppendOnlyProofFailed = 3,

    /// <summary>One witness's BLS co-signatures on two different roots for one epoch.</summary>
    WitnessEquivocation = 4,
}

/// <summary>Names used in the store, the API and logs.</summary>
public static class EvidenceKinds
{
    public static string Name(EvidenceKind kind) => kind switch
    {
        EvidenceKind.ConflictingHeads => "conflicting-heads",
        EvidenceKind.NonExtendingHead => "non-extending-head",
        EvidenceKind.AppendOnlyProofFailed => "append-only-proof-failed",
        EvidenceKind.WitnessEquivocation => "witness-equivocation",
        _ => "unknown",
    };
}
