// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Services;

/// <summary>
/// Gets proofs from a directory or a peer that mirrors it. Everything returned is untrusted bytes: the
/// caller decodes and verifies. The libp2p request-response protocols (<c>/chhaya/vkd/lookup/1.0.0</c>,
/// <c>/chhaya/vkd/audit/1.0.0</c>) implement this in the networking layer.
/// </summary>
public interface IVkdProofFetcher
{
    /// <summary>The encoded signed epoch head of <paramref name="epoch"/>, or null if the source has none.</summary>
    Task<byte[]?> FetchSignedHeadAsync(Digest directoryId, ulong epoch, CancellationToken cancellationToken = default);

    /// <summary>An encoded AKD <c>LookupProof</c> for <paramref name="label"/> at the source's latest epoch.</summary>
    Task<byte[]> FetchLookupProofAsync(Digest directoryId, ReadOnlyMemory<byte> label, CancellationToken cancellationToken = default);

    /// <summary>An encoded AKD <c>AppendOnlyProof</c> from <paramref name="startEpoch"/> to <paramref name="endEpoch"/>.</summary>
    Task<byte[]> FetchAppendOnlyProofAsync(Digest directoryId, ulong startEpoch, ulong endEpoch, CancellationToken cancellationToken = default);
}
