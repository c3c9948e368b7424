// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Epochs;

namespace Chhaya.Directory;

/// <summary>
/// The real certificate check: the certificate decodes, and carries t or more distinct co-signatures of
/// <see cref="Witnesses"/> members whose aggregate verifies (FastAggregateVerify) over the head's
/// 112-byte canonical encoding, the statement witnesses co-sign.
/// </summary>
public sealed class WitnessSetCertificateCheck(WitnessSet witnesses) : IQuorumCertificateCheck
{
    /// <summary>The quorum whose certificates this client accepts.</summary>
    public WitnessSet Witnesses { get; } = witnesses ?? throw new ArgumentNullException(nameof(witnesses));

    public bool IsCertified(SignedEpochHead head, ReadOnlySpan<byte> certificate)
    {
        ArgumentNullException.ThrowIfNull(head);
        try
        {
            return QuorumCertificate.Decode(certificate).Validate(Witnesses, head.Head.Encode()) == QuorumValidationError.None;
        }
        catch (MalformedInputException)
        {
            // QuorumException derives from it: any undecodable certificate simply does not certify.
            return false;
        }
    }
}
