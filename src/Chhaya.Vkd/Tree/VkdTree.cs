// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;

namespace Chhaya.Vkd.Tree;

/// <summary>
/// The bare tree, without labels-to-versions bookkeeping, VRF or signing: add leaves (a 256-bit position
/// and a commitment) epoch by epoch, read the root, cut proofs. For tools, tests and benchmarks that
/// work on leaves directly; a directory uses <see cref="Services.VkdDirectory"/>.
/// </summary>
public sealed class VkdTree(VkdConfiguration config)
{
    private readonly MerkleTrie _trie = new(config);

    /// <summary>The published root hash.</summary>
    public Digest Root => _trie.RootHash;

    /// <summary>Number of leaves.</summary>
    public long LeafCount => _trie.LeafCount;

    /// <summary>Adds leaves in <paramref name="epoch"/> (which must not go backwards) and returns the new root.</summary>
    /// <exception cref="InvalidOperationException">A leaf is already present or is not 256 bits long.</exception>
    public Digest Insert(IReadOnlyList<AzksElement> leaves, ulong epoch)
    {
        _trie.InsertBatch(leaves, epoch);
        return _trie.RootHash;
    }

    /// <summary>Membership proof of a node.</summary>
    public MembershipProof MembershipProof(NodeLabel label) => _trie.MembershipProof(label);

    /// <summary>Non-membership proof of a label.</summary>
    public NonMembershipProof NonMembershipProof(NodeLabel label) => _trie.NonMembershipProof(label);

    /// <summary>The append-only proof for one step.</summary>
    public SingleAppendOnlyProof AppendOnlyStep(ulong startEpoch, ulong endEpoch) => _trie.AppendOnlyStep(startEpoch, endEpoch);
}
