// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;

namespace Chhaya.Vkd.Verification;

/// <summary>
/// Membership and non-membership checks against a published root (AKD <c>verify/base.rs</c>), plus
/// structural checks AKD leaves to the hash: every path step must be a real parent/child relation.
/// </summary>
public static class TreeProofVerifier
{
    /// <summary>Checks that the proof's node is in the tree whose published root hash is <paramref name="rootHash"/>.</summary>
    /// <exception cref="VkdVerificationException">A check failed.</exception>
    public static void VerifyMembership(VkdConfiguration config, in Digest rootHash, MembershipProof proof)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(proof);
        RequireWellFormed(config, proof.Label);
        var value = proof.HashValue;
        var label = proof.Label;
        var empty = config.EmptyLabel;
        for (var i = proof.SiblingProofs.Count - 1; i >= 0; i--)
        {
            var step = proof.SiblingProofs[i];
            var parent = step.Label;
            var sibling = step.Sibling;
            RequireWellFormed(config, parent);
            RequireWellFormed(config, sibling.Label);

            // The parent must be a strict prefix of the current node, on the side the direction names.
            if (!parent.IsCanonical || parent.BitLength >= label.BitLength || !parent.IsPrefixOf(label)
                || label.GetBit(parent.BitLength) != (int)step.Direction)
            {
                VkdVerificationException.Fail(VkdCheck.MembershipPathMalformed, $"step {i}: {parent} is not the parent of {label} on the {step.Direction} side");
            }

            // The sibling must hang on the other side of the same parent; only the root may lack a child.
            var siblingIsEmpty = sibling.Label == empty && parent.BitLength == 0;
            if (!siblingIsEmpty && (!sibling.Label.IsCanonical || sibling.Label.BitLength <= parent.BitLength
                || !parent.IsPrefixOf(sibling.Label) || sibling.Label.GetBit(parent.BitLength) == (int)step.Direction))
            {
                VkdVerificationException.Fail(VkdCheck.MembershipPathMalformed, $"step {i}: {sibling.Label} is not the sibling of {label} under {parent}");
            }

            value = step.Direction == Direction.Left
                ? config.ParentHash(value, label, sibling.Value, sibling.Label)
                : config.ParentHash(sibling.Value, sibling.Label, value, label);
            label = parent;
        }

        if (label.BitLength != 0)
        {
            VkdVerificationException.Fail(VkdCheck.MembershipPathMalformed, $"the path ends at {label}, not at the root");
        }

        if (config.RootHash(value) != rootHash)
        {
            VkdVerificationException.Fail(VkdCheck.MembershipRootMismatch, $"the path for {proof.Label} does not hash to the root");
        }
    }

    /// <summary>Checks that <see cref="NonMembershipProof.Label"/> is absent from the tree with root <paramref name="rootHash"/>.</summary>
    /// <exception cref="VkdVerificationException">A check failed.</exception>
    public static void VerifyNonMembership(VkdConfiguration config, in Digest rootHash, NonMembershipProof proof)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(proof);
        var label = proof.Label;
        var prefix = proof.LongestPrefix;
        var left = proof.LeftChild;
        var right = proof.RightChild;
        RequireWellFormed(config, label);
        RequireWellFormed(config, prefix);
        RequireWellFormed(config, left.Label);
        RequireWellFormed(config, right.Label);
        var empty = config.EmptyLabel;

        // AKD checks only that the label differs from both children. A child whose label is a prefix
        // of the absent label is an interior node on its path, so the label could sit below it; refuse.
        foreach (var child in (ReadOnlySpan<AzksElement>)[left, right])
        {
            if (child.Label != empty && child.Label.IsPrefixOf(label))
            {
                VkdVerificationException.Fail(VkdCheck.NonMembershipLabelUnderChild, $"{label} equals or lies under the child {child.Label}");
            }
        }

        if (!prefix.IsPrefixOf(label))
        {
            VkdVerificationException.Fail(VkdCheck.NonMembershipPrefixNotPrefix, $"{prefix} is not a prefix of {label}");
        }

        var lcp = config.LongestCommonPrefix(left.Label, right.Label);
        if (lcp == empty)
        {
            // Only the root may miss a child; then the longest prefix is the root.
            lcp = NodeLabel.Root;
        }

        if (prefix != lcp)
        {
            VkdVerificationException.Fail(VkdCheck.NonMembershipPrefixNotChildrenLcp, $"{prefix} is not the longest common prefix {lcp} of its children");
        }

        CheckChildSide(empty, prefix, left.Label, 0);
        CheckChildSide(empty, prefix, right.Label, 1);
        if (left.Label == empty && right.Label == empty)
        {
            VkdVerificationException.Fail(VkdCheck.NonMembershipChildrenMisplaced, "both children are empty");
        }

        var prefixValue = config.ParentHash(left.Value, left.Label, right.Value, right.Label);
        var membership = proof.LongestPrefixMembershipProof;
        if (membership.Label != lcp || membership.HashValue != prefixValue)
        {
            VkdVerificationException.Fail(VkdCheck.NonMembershipPrefixHashMismatch, $"the children do not hash to the proven node {membership.Label}");
        }

        VerifyMembership(config, rootHash, membership);
    }

    internal static void RequireWellFormed(VkdConfiguration config, in NodeLabel label)
    {
        if (!config.IsWellFormedLabel(label))
        {
            VkdVerificationException.Fail(VkdCheck.LabelNotWellFormed, $"{label} has bits set past its length");
        }
    }

    private static void CheckChildSide(in NodeLabel empty, in NodeLabel prefix, in NodeLabel child, int bit)
    {
        if (child == empty)
        {
            if (prefix.BitLength != 0)
            {
                VkdVerificationException.Fail(VkdCheck.NonMembershipChildrenMisplaced, $"interior node {prefix} has an empty child");
            }

            return;
        }

        if (child.BitLength <= prefix.BitLength || child.GetBit(prefix.BitLength) != bit)
        {
            VkdVerificationException.Fail(VkdCheck.NonMembershipChildrenMisplaced, $"{child} is not the {(bit == 0 ? "left" : "right")} child of {prefix}");
        }
    }
}
