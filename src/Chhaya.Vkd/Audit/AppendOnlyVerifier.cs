// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Audit;

/// <summary>
/// Verifies append-only (audit) proofs held in memory, as AKD's auditor does (<c>akd/src/auditor.rs</c>):
/// the untouched subtrees alone must hash to the start root, and together with the inserted leaves
/// (each hashed with the end epoch) to the end root. Everything in the old tree therefore survives
/// unchanged in the new one, and the only differences are new leaves.
/// </summary>
public static class AppendOnlyVerifier
{
    /// <summary>Verifies an <c>AppendOnlyProof</c> over <paramref name="hashes"/> (one more hash than steps); step i ends at epoch <c>Epochs[i] + 1</c>.</summary>
    /// <param name="config">The directory's tree configuration.</param>
    /// <param name="hashes">The roots of consecutive epochs, oldest first.</param>
    /// <param name="proof">The proof, one step per pair of consecutive roots.</param>
    /// <param name="startEpoch">
    /// The epoch of <c>hashes[0]</c>, when the caller knows it (it always should). The step epochs must be
    /// consecutive from it: an empty step hashes no epoch, so without this its epoch number could be
    /// changed without changing the verdict.
    /// </param>
    /// <exception cref="VkdVerificationException">A check failed.</exception>
    public static void Verify(VkdConfiguration config, IReadOnlyList<Digest> hashes, AppendOnlyProof proof, ulong? startEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Epochs.Count + 1 != hashes.Count || proof.Epochs.Count != proof.Proofs.Count)
        {
            VkdVerificationException.Fail(VkdCheck.AuditShape, $"{proof.Proofs.Count} steps and {proof.Epochs.Count} epochs for {hashes.Count} hashes");
        }

        if (startEpoch is { } start && proof.Epochs.Count > 0 && proof.Epochs[0] != start)
        {
            VkdVerificationException.Fail(VkdCheck.AuditShape, $"the proof starts at epoch {proof.Epochs[0]}, not {start}");
        }

        for (var i = 0; i < proof.Proofs.Count; i++)
        {
            if (proof.Epochs[i] == ulong.MaxValue)
            {
                VkdVerificationException.Fail(VkdCheck.AuditShape, "epoch out of range");
            }

            if (i > 0 && proof.Epochs[i] != proof.Epochs[i - 1] + 1)
            {
                VkdVerificationException.Fail(VkdCheck.AuditShape, $"step {i} starts at epoch {proof.Epochs[i]}, not {proof.Epochs[i - 1] + 1}: audit steps are consecutive");
            }

            VerifyStep(config, proof.Proofs[i], hashes[i], hashes[i + 1], proof.Epochs[i] + 1);
        }
    }

    /// <summary>Verifies one step from <paramref name="startHash"/> to <paramref name="endHash"/>, the latter published at <paramref name="endEpoch"/>.</summary>
    /// <remarks>
    /// An empty proof is accepted exactly when the two roots are equal: a directory that published no
    /// change keeps its root. AKD's auditor would demand the empty-tree root there; it never meets the
    /// case because AKD does not advance epochs without updates, while Chhaya directories do.
    /// </remarks>
    /// <exception cref="VkdVerificationException">A check failed.</exception>
    public static void VerifyStep(VkdConfiguration config, SingleAppendOnlyProof proof, Digest startHash, Digest endHash, ulong endEpoch)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Inserted.Count == 0 && proof.UnchangedNodes.Count == 0 && startHash == endHash)
        {
            return;
        }

        var unchanged = proof.UnchangedNodes.ToArray();
        var inserted = proof.Inserted.ToArray();
        Array.Sort(unchanged, static (a, b) => a.Label.CompareValue(b.Label));
        Array.Sort(inserted, static (a, b) => a.Label.CompareValue(b.Label));
        var steps = new AuditStepBuilder(config, endEpoch);
        int u = 0, n = 0;
        while (u < unchanged.Length || n < inserted.Length)
        {
            if (n >= inserted.Length || (u < unchanged.Length && unchanged[u].Label.CompareValue(inserted[n].Label) <= 0))
            {
                steps.AddUnchanged(unchanged[u++]);
            }
            else
            {
                steps.AddInserted(inserted[n++]);
            }
        }

        steps.Finish(startHash, endHash);
    }
}

/// <summary>Feeds the two root rebuilds of one audit step from a single left-to-right pass.</summary>
internal sealed class AuditStepBuilder
{
    private readonly VkdConfiguration _config;
    private readonly ulong _endEpoch;
    private readonly SortedTreeBuilder _before;
    private readonly SortedTreeBuilder _after;

    public AuditStepBuilder(VkdConfiguration config, ulong endEpoch)
    {
        _config = config;
        _endEpoch = endEpoch;
        _before = new SortedTreeBuilder(config);
        _after = new SortedTreeBuilder(config);
    }

    public void AddUnchanged(AzksElement element)
    {
        TreeProofVerifier.RequireWellFormed(_config, element.Label);
        if (!element.Label.IsCanonical)
        {
            VkdVerificationException.Fail(VkdCheck.AuditElementMalformed, $"unchanged node {element.Label} is not a tree label");
        }

        _before.Add(element.Label, element.Value);
        _after.Add(element.Label, element.Value);
    }

    public void AddInserted(AzksElement element)
    {
        // Only leaves are ever inserted, and a leaf sits at a full 256-bit VRF position.
        if (element.Label.BitLength != NodeLabel.MaxBits)
        {
            VkdVerificationException.Fail(VkdCheck.AuditElementMalformed, $"inserted element {element.Label} is not a leaf");
        }

        _after.Add(element.Label, _config.LeafHash(element.Value, _endEpoch));
    }

    public void Finish(in Digest startHash, in Digest endHash)
    {
        if (_before.FinishRootHash() != startHash)
        {
            VkdVerificationException.Fail(VkdCheck.AuditStartRootMismatch, $"the {_before.Count} unchanged nodes do not hash to the start root");
        }

        if (_after.FinishRootHash() != endHash)
        {
            VkdVerificationException.Fail(VkdCheck.AuditEndRootMismatch, $"unchanged nodes plus inserted leaves do not hash to the end root at epoch {_endEpoch}");
        }
    }
}
