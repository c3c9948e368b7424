// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Tree;

/// <summary>
/// One node of the producer's in-memory trie, shaped like AKD's <c>TreeNode</c> (<c>akd/src/tree_node.rs</c>):
/// a leaf holds its commitment, an interior node (or the root) the hash of its children. Epochs record
/// when the node was born, when its hash last changed and the earliest birth below it, which is what
/// lets an append-only proof for any past step be cut from the latest tree.
/// </summary>
internal sealed class TrieNode
{
    public TrieNode(NodeLabel label, bool isLeaf, ulong birthEpoch)
    {
        Label = label;
        IsLeaf = isLeaf;
        BirthEpoch = birthEpoch;
        LastEpoch = birthEpoch;
        MinDescendantEpoch = birthEpoch;
    }

    public NodeLabel Label { get; }

    public bool IsLeaf { get; }

    public TrieNode? Left { get; set; }

    public TrieNode? Right { get; set; }

    /// <summary>Leaf: the commitment. Interior or root: the parent hash of its children.</summary>
    public Digest Hash { get; set; }

    public ulong BirthEpoch { get; }

    public ulong LastEpoch { get; set; }

    public ulong MinDescendantEpoch { get; set; }

    public TrieNode? Child(int bit) => bit == 0 ? Left : Right;

    public void SetChild(int bit, TrieNode child)
    {
        if (bit == 0)
        {
            Left = child;
        }
        else
        {
            Right = child;
        }
    }
}
