// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;

namespace Chhaya.Vkd.Tree;

/// <summary>
/// The producer's compressed binary Merkle-Patricia trie over 256-bit leaf labels, hashing exactly as
/// AKD does so its proofs verify with AKD's client and ours. Leaves are only ever added, never changed
/// or removed: a new version adds a fresh leaf and retires the old one with a stale leaf.
/// </summary>
internal sealed class MerkleTrie
{
    private readonly VkdConfiguration _config;

    public MerkleTrie(VkdConfiguration config)
    {
        _config = config;
        Root = new TrieNode(NodeLabel.Root, isLeaf: false, birthEpoch: 0) { Hash = config.EmptyRootValue };
    }

    public TrieNode Root { get; private set; }

    /// <summary>Rebuilds a trie from persisted nodes (the latest state of every node).</summary>
    /// <exception cref="InvalidOperationException">The nodes do not form one tree under the root.</exception>
    public static MerkleTrie FromStored(VkdConfiguration config, IEnumerable<Storage.StoredNode> stored)
    {
        var trie = new MerkleTrie(config);
        var byLabel = new Dictionary<NodeLabel, (Storage.StoredNode Stored, TrieNode Node)>();
        foreach (var s in stored)
        {
            var node = new TrieNode(s.Label, s.IsLeaf, s.BirthEpoch) { Hash = s.Hash, LastEpoch = s.LastEpoch, MinDescendantEpoch = s.MinDescendantEpoch };
            if (!byLabel.TryAdd(s.Label, (s, node)))
            {
                throw new InvalidOperationException($"Node {s.Label} is stored twice.");
            }
        }

        foreach (var (s, node) in byLabel.Values)
        {
            if (s.Left is { } left)
            {
                node.Left = byLabel.TryGetValue(left, out var l) ? l.Node : throw new InvalidOperationException($"Child {left} of {s.Label} is missing.");
            }

            if (s.Right is { } right)
            {
                node.Right = byLabel.TryGetValue(right, out var r) ? r.Node : throw new InvalidOperationException($"Child {right} of {s.Label} is missing.");
            }

            if (s.IsLeaf)
            {
                trie.LeafCount++;
            }
        }

        if (byLabel.TryGetValue(NodeLabel.Root, out var root))
        {
            trie.Root = root.Node;
        }

        return trie;
    }

    /// <summary>The persisted form of a node.</summary>
    public static Storage.StoredNode ToStored(TrieNode node) =>
        new(node.Label, node.Left?.Label, node.Right?.Label, node.Hash, node.IsLeaf, node.BirthEpoch, node.LastEpoch, node.MinDescendantEpoch);

    /// <summary>Nodes whose state changed in <paramref name="epoch"/> (the root always counts).</summary>
    public IEnumerable<TrieNode> ChangedNodes(ulong epoch)
    {
        var stack = new Stack<TrieNode>();
        stack.Push(Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node != Root && node.LastEpoch != epoch)
            {
                continue;
            }

            yield return node;
            if (node.Left is not null)
            {
                stack.Push(node.Left);
            }

            if (node.Right is not null)
            {
                stack.Push(node.Right);
            }
        }
    }

    public long LeafCount { get; private set; }

    /// <summary>The published root hash.</summary>
    public Digest RootHash => _config.RootHash(Root.Hash);

    /// <summary>Inserts a batch of new leaves in <paramref name="epoch"/> and rehashes what changed.</summary>
    /// <exception cref="InvalidOperationException">A leaf label is already in the tree (a VRF collision) or is not 256 bits.</exception>
    public void InsertBatch(IReadOnlyList<AzksElement> leaves, ulong epoch)
    {
        foreach (var leaf in leaves)
        {
            Insert(leaf.Label, leaf.Value, epoch);
        }

        if (leaves.Count > 0)
        {
            Rehash(Root, epoch);
        }
    }

    /// <summary>The value a node contributes to its parent: a leaf's commitment hashed with its epoch, else its hash.</summary>
    public Digest NodeValue(TrieNode node) => node.IsLeaf ? _config.LeafHash(node.Hash, node.BirthEpoch) : node.Hash;

    /// <summary>The node with exactly this label, or null.</summary>
    public TrieNode? Find(in NodeLabel label)
    {
        var node = Root;
        while (true)
        {
            if (node.Label == label)
            {
                return node;
            }

            if (node.IsLeaf || node.Label.BitLength >= label.BitLength || !node.Label.IsPrefixOf(label))
            {
                return null;
            }

            var child = node.Child(label.GetBit(node.Label.BitLength));
            if (child is null)
            {
                return null;
            }

            node = child;
        }
    }

    /// <summary>Membership proof of the node labelled <paramref name="label"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such node.</exception>
    public MembershipProof MembershipProof(in NodeLabel label)
    {
        var steps = new List<SiblingProof>();
        var node = Root;
        while (node.Label != label)
        {
            if (node.IsLeaf || node.Label.BitLength >= label.BitLength || !node.Label.IsPrefixOf(label))
            {
                throw new KeyNotFoundException($"{label} is not in the tree.");
            }

            var bit = label.GetBit(node.Label.BitLength);
            var child = node.Child(bit) ?? throw new KeyNotFoundException($"{label} is not in the tree.");
            steps.Add(new SiblingProof(node.Label, ChildElement(node.Child(1 - bit)), (Direction)bit));
            node = child;
        }

        return new MembershipProof(label, NodeValue(node), steps);
    }

    /// <summary>Non-membership proof of <paramref name="label"/>.</summary>
    /// <exception cref="InvalidOperationException">The label is in the tree, or the tree is empty.</exception>
    public NonMembershipProof NonMembershipProof(in NodeLabel label)
    {
        var node = Root;
        while (true)
        {
            var child = node.Child(label.GetBit(node.Label.BitLength));
            if (child is null || child.IsLeaf || !child.Label.IsPrefixOf(label))
            {
                break;
            }

            node = child;
        }

        if (node.Left is null && node.Right is null)
        {
            throw new InvalidOperationException("Non-membership cannot be proven in an empty tree.");
        }

        var onPath = node.Child(label.GetBit(node.Label.BitLength));
        if (onPath is not null && onPath.Label == label)
        {
            throw new InvalidOperationException($"{label} is in the tree.");
        }

        return new NonMembershipProof(label, node.Label, ChildElement(node.Left), ChildElement(node.Right), MembershipProof(node.Label));
    }

    /// <summary>
    /// The append-only proof for the step <paramref name="startEpoch"/> -> <paramref name="endEpoch"/>, cut
    /// from the latest tree by AKD's rule (<c>get_append_only_proof_helper</c>), left to right.
    /// </summary>
    public SingleAppendOnlyProof AppendOnlyStep(ulong startEpoch, ulong endEpoch)
    {
        var inserted = new List<AzksElement>();
        var unchanged = new List<AzksElement>();
        Collect(Root, startEpoch, endEpoch, inserted, unchanged);
        return new SingleAppendOnlyProof(inserted, unchanged);
    }

    /// <summary>Every node, parents before children (for persisting).</summary>
    public IEnumerable<TrieNode> Nodes()
    {
        var stack = new Stack<TrieNode>();
        stack.Push(Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            if (node.Right is not null)
            {
                stack.Push(node.Right);
            }

            if (node.Left is not null)
            {
                stack.Push(node.Left);
            }
        }
    }

    private void Collect(TrieNode node, ulong start, ulong end, List<AzksElement> inserted, List<AzksElement> unchanged)
    {
        if (node.LastEpoch <= start)
        {
            if (node != Root)
            {
                unchanged.Add(new AzksElement(node.Label, NodeValue(node)));
            }

            return;
        }

        if (node.MinDescendantEpoch > end)
        {
            return;
        }

        if (node.IsLeaf)
        {
            inserted.Add(new AzksElement(node.Label, node.Hash));
            return;
        }

        if (node.Left is not null)
        {
            Collect(node.Left, start, end, inserted, unchanged);
        }

        if (node.Right is not null)
        {
            Collect(node.Right, start, end, inserted, unchanged);
        }
    }

    private AzksElement ChildElement(TrieNode? child) =>
        child is null ? new AzksElement(_config.EmptyLabel, _config.EmptyNodeHash) : new AzksElement(child.Label, NodeValue(child));

    private void Insert(in NodeLabel label, in Digest commitment, ulong epoch)
    {
        if (label.BitLength != NodeLabel.MaxBits)
        {
            throw new InvalidOperationException($"Leaf label {label} is not 256 bits.");
        }

        var leaf = new TrieNode(label, isLeaf: true, epoch) { Hash = commitment };
        var node = Root;
        while (true)
        {
            node.LastEpoch = epoch;
            var bit = label.GetBit(node.Label.BitLength);
            var child = node.Child(bit);
            if (child is null)
            {
                node.SetChild(bit, leaf);
                break;
            }

            if (!child.IsLeaf && child.Label.IsPrefixOf(label))
            {
                node = child;
                continue;
            }

            if (child.Label == label)
            {
                throw new InvalidOperationException($"Leaf {label} is already in the tree.");
            }

            var split = child.Label.CommonPrefixLength(label);
            var interior = new TrieNode(child.Label.Prefix(split), isLeaf: false, epoch);
            interior.SetChild(child.Label.GetBit(split), child);
            interior.SetChild(label.GetBit(split), leaf);
            node.SetChild(bit, interior);
            break;
        }

        LeafCount++;
    }

    // Recomputes hashes and epochs of every node touched in `epoch`, bottom-up.
    private void Rehash(TrieNode node, ulong epoch)
    {
        if (node.IsLeaf || node.LastEpoch != epoch)
        {
            return;
        }

        if (node.Left is not null)
        {
            Rehash(node.Left, epoch);
        }

        if (node.Right is not null)
        {
            Rehash(node.Right, epoch);
        }

        var left = ChildElement(node.Left);
        var right = ChildElement(node.Right);
        node.Hash = _config.ParentHash(left.Value, left.Label, right.Value, right.Label);
        node.LastEpoch = epoch;
        var min = ulong.MaxValue;
        if (node.Left is not null)
        {
            min = Math.Min(min, node.Left.MinDescendantEpoch);
        }

        if (node.Right is not null)
        {
            min = Math.Min(min, node.Right.MinDescendantEpoch);
        }

        node.MinDescendantEpoch = min;
    }
}
