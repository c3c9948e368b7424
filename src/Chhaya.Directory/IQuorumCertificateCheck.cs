// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Epochs;

namespace Chhaya.Directory;

/// <summary>
/// Decides whether a quorum certificate (a signer bitmap and an aggregate BLS signature from Chhaya.Quorum)
/// certifies a signed epoch head under the client's configured witness set. Chhaya.Quorum provides the
/// implementation; this interface keeps the directory client independent of it.
/// </summary>
public interface IQuorumCertificateCheck
{
    /// <summary>True only when <paramref name="certificate"/> is a valid quorum certificate over <paramref name="head"/>.</summary>
    /// <remarks>Must not throw on malformed certificates; return false.</remarks>
    bool IsCertified(SignedEpochHead head, ReadOnlySpan<byte> certificate);
}
