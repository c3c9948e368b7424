// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Quorum;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;

namespace Chhaya.Witness;

/// <summary>A directory this witness audits: its identity, keys, tree configuration and quorum.</summary>
/// <param name="DirectoryId">The directory id signed into every head.</param>
/// <param name="HeadPublicKey">The Ed25519 key that signs its epoch heads.</param>
/// <param name="Configuration">Its tree configuration (<c>whatsapp_v1</c>, <c>experimental</c>, …).</param>
/// <param name="Witnesses">The quorum whose certificates clients require.</param>
public sealed record FollowedDirectory(Digest DirectoryId, ReadOnlyMemory<byte> HeadPublicKey, VkdConfiguration Configuration, WitnessSet Witnesses)
{
    /// <summary>The id in lower-case hex, as the store and API name the directory.</summary>
    public string Key => DirectoryId.ToHex();
}

/// <summary>Where a witness gets what gossip does not bring: earlier heads and append-only proofs.</summary>
public interface IDirectorySource
{
    /// <summary>The signed head of <paramref name="epoch"/>, or null when the source does not have it.</summary>
    Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken);

    /// <summary>The AKD-encoded append-only proof from <paramref name="fromEpoch"/> to <paramref name="toEpoch"/>.</summary>
    Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken);

    /// <summary>
    /// Proofs from every place that offers one, in turn; the engine stops at the first that verifies, so a
    /// peer serving a bad proof does not stop the audit. By default the single proof of
    /// <see cref="GetAppendOnlyProofAsync"/>. A source that asks several peers bounds how many it asks.
    /// </summary>
    async IAsyncEnumerable<byte[]> GetAppendOnlyProofCandidatesAsync(ulong fromEpoch, ulong toEpoch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return await GetAppendOnlyProofAsync(fromEpoch, toEpoch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Told by the engine that the candidate it was last given for this step did not verify, so a source
    /// that asks peers can stop asking the one that served it. Nothing by default.
    /// </summary>
    void ReportFailedProof(ulong fromEpoch, ulong toEpoch)
    {
    }
}
