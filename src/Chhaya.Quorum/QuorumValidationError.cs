// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Quorum;

/// <summary>What is wrong with a witness set, a co-signature or a quorum certificate.</summary>
public enum QuorumValidationError
{
    /// <summary>Nothing: the input is valid.</summary>
    None = 0,

    /// <summary>The bytes do not follow the canonical layout (length, version, padding bits, point encodings).</summary>
    Malformed,

    /// <summary>A signer is not a member of the witness set (or the bitmap names a position past its end).</summary>
    UnknownSigner,

    /// <summary>The same witness appears twice (in a set, or co-signing twice for one certificate).</summary>
    DuplicateSigner,

    /// <summary>Fewer distinct signers than the threshold.</summary>
    BelowThreshold,

    /// <summary>A member's proof of possession does not verify, so its key may be a rogue key.</summary>
    BadProofOfPossession,

    /// <summary>A single co-signature does not verify for its signer and head.</summary>
    BadSignature,

    /// <summary>The aggregate signature does not verify for the named signers and head.</summary>
    BadAggregate,

    /// <summary>The certificate covers a different head than the one being checked.</summary>
    HeadMismatch,

    /// <summary>The certificate was made for a witness set of a different size.</summary>
    WitnessSetMismatch,

    /// <summary>The threshold is not between 1 and the number of members.</summary>
    BadThreshold,
}
