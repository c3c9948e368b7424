// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;

namespace Chhaya.Vkd.Verification;

/// <summary>
/// Client-side verification of AKD lookup and key-history proofs (<c>akd_core/src/verify/lookup.rs</c>,
/// <c>history.rs</c>). Pure: no I/O, no clock, nothing stored. Every failure is a
/// <see cref="VkdVerificationException"/> naming the check.
/// </summary>
public static class VkdVerifier
{
    /// <summary>Verifies a lookup proof for <paramref name="akdLabel"/> against a published root and returns what it proves.</summary>
    /// <exception cref="VkdVerificationException">A check failed.</exception>
    public static VerifyResult VerifyLookup(
        VkdConfiguration config,
        IVrfVerifier vrf,
        ReadOnlyMemory<byte> vrfPublicKey,
        Digest rootHash,
        ulong currentEpoch,
        ReadOnlyMemory<byte> akdLabel,
        LookupProof proof)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(vrf);
        ArgumentNullException.ThrowIfNull(proof);
        var ctx = new VkdContext(config, vrf, vrfPublicKey, rootHash, currentEpoch, akdLabel);

        // AKD rejects version > current epoch. We also reject version 0 (AKD panics computing its
        // marker) and epochs that cannot hold that version: versions are published one per epoch, from epoch 1.
        if (proof.Version == 0 || proof.Version > currentEpoch || proof.Epoch > currentEpoch || proof.Version > proof.Epoch)
        {
            VkdVerificationException.Fail(VkdCheck.LookupVersionOutOfRange, $"version {proof.Version} at epoch {proof.Epoch} is impossible at current epoch {currentEpoch}");
        }

        LabelVerifier.VerifyExistenceWithValue(ctx, proof.Value.Span, proof.Epoch, proof.CommitmentNonce.Span, proof.Version, proof.ExistenceVrfProof.Span, proof.ExistenceProof);

        var marker = 1UL << MarkerVersions.Log2(proof.Version);
        LabelVerifier.VerifyExistence(ctx, VersionFreshness.Fresh, marker, proof.MarkerVrfProof.Span, proof.MarkerProof);

        LabelVerifier.VerifyNonExistence(ctx, VersionFreshness.Stale, proof.Version, proof.FreshnessVrfProof.Span, proof.FreshnessProof);

        return new VerifyResult(proof.Epoch, proof.Version, proof.Value);
    }

    /// <summary>Verifies a key-history proof and returns the proven versions, newest first.</summary>
    /// <remarks>With <c>allowMissingValues</c> (AKD's <c>AllowMissingValues</c>) an empty value, a tombstone, skips the value check for that version.</remarks>
    /// <exception cref="VkdVerificationException">A check failed.</exception>
    public static IReadOnlyList<VerifyResult> VerifyHistory(
        VkdConfiguration config,
        IVrfVerifier vrf,
        ReadOnlyMemory<byte> vrfPublicKey,
        Digest rootHash,
        ulong currentEpoch,
        ReadOnlyMemory<byte> akdLabel,
        HistoryProof proof,
        HistoryParams historyParams,
        bool allowMissingValues = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(vrf);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(historyParams);
        var ctx = new VkdContext(config, vrf, vrfPublicKey, rootHash, currentEpoch, akdLabel);
        var (past, future) = CheckShape(currentEpoch, proof, historyParams);

        var results = new List<VerifyResult>(proof.UpdateProofs.Count);
        ulong? previousEpoch = null;
        foreach (var update in proof.UpdateProofs)
        {
            if (previousEpoch is { } prev && update.Epoch > prev)
            {
                VkdVerificationException.Fail(VkdCheck.HistoryEpochsNotDecreasing, $"version {update.Version} has epoch {update.Epoch} after the newer version's {prev}");
            }

            previousEpoch = update.Epoch;
            VerifyUpdate(ctx, update, allowMissingValues);
            results.Add(new VerifyResult(update.Epoch, update.Version, update.Value));
        }

        for (var i = 0; i < past.Count; i++)
        {
            LabelVerifier.VerifyExistence(ctx, VersionFreshness.Fresh, past[i], proof.PastMarkerVrfProofs[i].Span, proof.ExistenceOfPastMarkerProofs[i]);
        }

        for (var i = 0; i < future.Count; i++)
        {
            LabelVerifier.VerifyNonExistence(ctx, VersionFreshness.Fresh, future[i], proof.FutureMarkerVrfProofs[i].Span, proof.NonExistenceOfFutureMarkerProofs[i]);
        }

        return results;
    }

    private static (List<ulong> Past, List<ulong> Future) CheckShape(ulong currentEpoch, HistoryProof proof, HistoryParams historyParams)
    {
        var updates = proof.UpdateProofs;
        if (updates.Count == 0)
        {
            VkdVerificationException.Fail(VkdCheck.HistoryEmpty, "no update proofs");
        }

        for (var i = 1; i < updates.Count; i++)
        {
            if (updates[i].Version == ulong.MaxValue || updates[i].Version + 1 != updates[i - 1].Version)
            {
                VkdVerificationException.Fail(VkdCheck.HistoryVersionsInvalid, $"version {updates[i].Version} at index {i} does not follow {updates[i - 1].Version}");
            }
        }

        var end = updates[0].Version;
        var start = updates[^1].Version;
        if (start == 0)
        {
            VkdVerificationException.Fail(VkdCheck.HistoryVersionsInvalid, "the history starts at version 0");
        }

        if (end > currentEpoch)
        {
            VkdVerificationException.Fail(VkdCheck.HistoryVersionsInvalid, $"version {end} is after the current epoch {currentEpoch}");
        }

        if (historyParams.MostRecentCount is { } recent)
        {
            if (updates.Count > recent || (updates.Count < recent && start != 1))
            {
                VkdVerificationException.Fail(VkdCheck.HistoryParamsMismatch, $"{updates.Count} versions from {start} do not answer {historyParams}");
            }
        }
        else if (start != 1)
        {
            VkdVerificationException.Fail(VkdCheck.HistoryParamsMismatch, $"a complete history must start at version 1, not {start}");
        }

        var (past, future) = MarkerVersions.Compute(start, end, currentEpoch);
        if (past.Count != proof.PastMarkerVrfProofs.Count || past.Count != proof.ExistenceOfPastMarkerProofs.Count)
        {
            VkdVerificationException.Fail(VkdCheck.HistoryMarkerCount, $"expected {past.Count} past marker proofs, got {proof.PastMarkerVrfProofs.Count} and {proof.ExistenceOfPastMarkerProofs.Count}");
        }

        if (future.Count != proof.FutureMarkerVrfProofs.Count || future.Count != proof.NonExistenceOfFutureMarkerProofs.Count)
        {
            VkdVerificationException.Fail(VkdCheck.HistoryMarkerCount, $"expected {future.Count} future marker proofs, got {proof.FutureMarkerVrfProofs.Count} and {proof.NonExistenceOfFutureMarkerProofs.Count}");
        }

        return (past, future);
    }

    private static void VerifyUpdate(VkdContext ctx, UpdateProof update, bool allowMissingValues)
    {
        if (update.Epoch > ctx.CurrentEpoch || update.Version > update.Epoch)
        {
            VkdVerificationException.Fail(VkdCheck.HistoryVersionsInvalid, $"version {update.Version} at epoch {update.Epoch} is impossible at current epoch {ctx.CurrentEpoch}");
        }

        if (allowMissingValues && update.Value.IsEmpty)
        {
            LabelVerifier.VerifyExistence(ctx, VersionFreshness.Fresh, update.Version, update.ExistenceVrfProof.Span, update.ExistenceProof);
        }
        else
        {
            LabelVerifier.VerifyExistenceWithValue(ctx, update.Value.Span, update.Epoch, update.CommitmentNonce.Span, update.Version, update.ExistenceVrfProof.Span, update.ExistenceProof);
        }

        if (update.Version <= 1)
        {
            if (update.PreviousVersionProof is not null || update.PreviousVersionVrfProof is not null)
            {
                VkdVerificationException.Fail(VkdCheck.HistoryPreviousVersionProof, "version 1 carries a previous-version proof");
            }

            return;
        }

        if (update.PreviousVersionProof is not { } previous || update.PreviousVersionVrfProof is not { } previousVrf)
        {
            VkdVerificationException.Fail(VkdCheck.HistoryPreviousVersionProof, $"version {update.Version} lacks the proof that version {update.Version - 1} was retired");
            return;
        }

        // The previous version's stale leaf must have been inserted in this update's epoch.
        if (ctx.Config.LeafHash(ctx.Config.StaleValue, update.Epoch) != previous.HashValue)
        {
            VkdVerificationException.Fail(VkdCheck.CommitmentMismatch, $"the stale leaf of version {update.Version - 1} is not from epoch {update.Epoch}");
        }

        LabelVerifier.VerifyExistence(ctx, VersionFreshness.Stale, update.Version - 1, previousVrf.Span, previous);
    }
}
