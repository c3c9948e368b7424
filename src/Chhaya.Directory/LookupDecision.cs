// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;

namespace Chhaya.Directory;

/// <summary>Why a lookup was accepted or rejected.</summary>
public enum LookupVerdict
{
    /// <summary>Every check passed.</summary>
    Accepted,

    /// <summary>The signed epoch head is not the right size.</summary>
    HeadMalformed,

    /// <summary>The head is for another directory.</summary>
    WrongDirectory,

    /// <summary>The directory's signature on the head does not verify.</summary>
    HeadSignatureInvalid,

    /// <summary>The head is older than one the client already accepted.</summary>
    EpochRolledBack,

    /// <summary>The head carries no valid quorum certificate.</summary>
    NotCertified,

    /// <summary>The lookup proof does not decode.</summary>
    ProofMalformed,

    /// <summary>The lookup proof does not verify against the certified root; see <see cref="LookupDecision.FailedCheck"/>.</summary>
    ProofInvalid,
}

/// <summary>The outcome of processing a lookup: accept with the proven value, or reject with the reason.</summary>
public sealed record LookupDecision(LookupVerdict Verdict, VerifyResult? Result, VkdCheck? FailedCheck, string Detail)
{
    /// <summary>True only for <see cref="LookupVerdict.Accepted"/>.</summary>
    public bool Accepted => Verdict == LookupVerdict.Accepted;
}
