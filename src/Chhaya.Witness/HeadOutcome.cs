// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Quorum;
using Chhaya.Witness.Evidence;

namespace Chhaya.Witness;

/// <summary>What the witness did with a head.</summary>
public enum HeadDisposition
{
    /// <summary>Verified, persisted, co-signed: gossip <see cref="HeadOutcome.CoSignatures"/>.</summary>
    CoSigned,

    /// <summary>Already co-signed this exact head; the stored co-signature is returned again.</summary>
    AlreadyCoSigned,

    /// <summary>Older than the last co-signed (or audited) epoch and consistent with what was seen: nothing to do.</summary>
    Stale,

    /// <summary>Not accepted (bad signature, wrong directory, missing or failing proof); see <see cref="HeadOutcome.Reason"/>.</summary>
    Rejected,

    /// <summary>The directory equivocated: evidence was stored and the witness stopped co-signing it.</summary>
    Equivocation,

    /// <summary>The witness stopped co-signing this directory earlier, after evidence of equivocation.</summary>
    Halted,

    /// <summary>An auditor verified and persisted the head (and any epochs before it); it signs nothing.</summary>
    Audited,

    /// <summary>An auditor had already accepted this exact head.</summary>
    AlreadyAudited,
}

/// <summary>The result of offering one head to the witness.</summary>
public sealed record HeadOutcome(HeadDisposition Disposition, string? Reason, IReadOnlyList<CoSignature> CoSignatures, EvidenceBundle? Evidence)
{
    public static HeadOutcome Rejected(string reason) => new(HeadDisposition.Rejected, reason, [], null);
}
