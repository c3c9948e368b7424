// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Services;

/// <summary>A publishing directory, as the rest of Chhaya sees it (implemented by <see cref="VkdDirectory"/>).</summary>
public interface IVkdProducer
{
    /// <summary>The latest signed epoch head.</summary>
    SignedEpochHead LatestHead { get; }

    /// <summary>Publishes one epoch (possibly with no updates) and returns its signed head.</summary>
    Task<SignedEpochHead> PublishAsync(IReadOnlyList<KeyValuePair<byte[], byte[]>> updates, CancellationToken cancellationToken = default);

    /// <summary>The signed head of a past epoch, or null.</summary>
    Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken = default);

    /// <summary>A lookup proof for the latest version of a label.</summary>
    LookupProof GetLookupProof(ReadOnlySpan<byte> label);

    /// <summary>A key-history proof for a label.</summary>
    HistoryProof GetHistoryProof(ReadOnlySpan<byte> label, HistoryParams historyParams);

    /// <summary>The append-only proof between two epochs.</summary>
    AppendOnlyProof GetAppendOnlyProof(ulong startEpoch, ulong endEpoch);
}
