// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Tree;
using Chhaya.Vkd.Verification;
using CsCheck;

namespace Chhaya.Vkd.Tests;

/// <summary>
/// An append-only proof never verifies from a root to a root whose tree deleted or changed a leaf. The
/// forger below builds the best proof the AKD rule allows between any two trees (maximal shared
/// subtrees plus everything else as inserted leaves); on an honest extension it verifies, which shows
/// the forger is right, and on a tree that lost or changed a leaf it must not.
/// </summary>
public class AppendOnlyPropertyTests
{
    private static readonly Gen<(int Config, byte[][] Old, byte[][] Added, int Victim, bool Delete)> Trees =
        Gen.Select(Gen.Int[0, 1], Gen.Byte.Array[32].Array[1, 40], Gen.Byte.Array[32].Array[0, 10], Gen.Int[0, int.MaxValue], Gen.Bool);

    [Fact]
    public void Honest_extension_verifies_and_deleting_or_changing_a_leaf_never_does()
    {
        Trees.Sample(t =>
        {
            var config = t.Config == 0 ? (VkdConfiguration)WhatsAppV1Configuration.Instance : ExperimentalConfiguration.Example;
            var old = Distinct(t.Old);
            var added = Distinct(t.Added).Where(a => !old.Contains(a)).ToList();
            var before = Build(config, old.Select(l => (l, 1UL)));
            var startHash = before.RootHash;

            // Honest: everything old stays, new leaves arrive at epoch 2.
            var honest = Build(config, old.Select(l => (l, 1UL)).Concat(added.Select(l => (l, 2UL))));
            var honestProof = Forge(before, honest);
            AppendOnlyVerifier.VerifyStep(config, honestProof, startHash, honest.RootHash, 2);

            // Dishonest: one old leaf deleted, or its commitment changed, plus the same new leaves.
            var victim = old[t.Victim % old.Count];
            var kept = old.Where(l => l != victim).Select(l => (l, 1UL)).ToList();
            var changed = t.Delete ? kept : [.. kept, (victim, 2UL)];
            var after = Build(config, changed.Concat(added.Select(l => (l, 2UL))), changedLabel: t.Delete ? null : victim);
            var forged = Forge(before, after);
            Assert.ThrowsAny<VkdVerificationException>(() => AppendOnlyVerifier.VerifyStep(config, forged, startHash, after.RootHash, 2));

            // Nor does the honest proof verify against the dishonest root.
            Assert.ThrowsAny<VkdVerificationException>(() => AppendOnlyVerifier.VerifyStep(config, honestProof, startHash, after.RootHash, 2));
        }, iter: 300);
    }

    private static List<NodeLabel> Distinct(byte[][] raw) =>
        raw.Select(b => new NodeLabel(b, NodeLabel.MaxBits)).Distinct().ToList();

    // A trie holding the given leaves; each leaf's commitment is H(label) (or H(label ‖ 1) for a changed leaf).
    private static MerkleTrie Build(VkdConfiguration config, IEnumerable<(NodeLabel Label, ulong Epoch)> leaves, NodeLabel? changedLabel = null)
    {
        var trie = new MerkleTrie(config);
        foreach (var group in leaves.GroupBy(l => l.Epoch).OrderBy(g => g.Key))
        {
            trie.InsertBatch(group.Select(l => new AzksElement(l.Label, Commitment(config, l.Label, l.Label == changedLabel))).ToList(), group.Key);
        }

        return trie;
    }

    private static Digest Commitment(VkdConfiguration config, NodeLabel label, bool changed)
    {
        var bytes = new byte[33];
        label.WriteValue(bytes);
        bytes[32] = changed ? (byte)1 : (byte)0;
        return config.Hash(bytes);
    }

    // Maximal subtrees of `after` present unchanged in `before`, and the remaining leaves as inserted.
    private static SingleAppendOnlyProof Forge(MerkleTrie before, MerkleTrie after)
    {
        var inserted = new List<AzksElement>();
        var unchanged = new List<AzksElement>();
        void Walk(TrieNode node, bool isRoot)
        {
            var match = before.Find(node.Label);
            if (!isRoot && match is not null && match.IsLeaf == node.IsLeaf && before.NodeValue(match) == after.NodeValue(node))
            {
                unchanged.Add(new AzksElement(node.Label, after.NodeValue(node)));
                return;
            }

            if (node.IsLeaf)
            {
                inserted.Add(new AzksElement(node.Label, node.Hash));
                return;
            }

            if (node.Left is not null)
            {
                Walk(node.Left, false);
            }

            if (node.Right is not null)
            {
                Walk(node.Right, false);
            }
        }

        Walk(after.Root, true);
        return new SingleAppendOnlyProof(inserted, unchanged);
    }
}
