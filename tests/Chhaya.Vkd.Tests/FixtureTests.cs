// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Tree;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Tests;

/// <summary>
/// AKD's fixture-generator storage dumps (fixture_generator/*.yaml): rebuilding our producer trie from
/// the dumped leaves reproduces AKD's root hashes for directory epochs 8 and 9, and the append-only proof
/// our producer cuts for 8 -> 9 is the derived audit vector, element for element.
/// </summary>
public class FixtureTests
{
    public static TheoryData<string> Configs => new() { "whatsapp_v1", "experimental" };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Producer_trie_reproduces_akd_roots_and_audit_proof(string name)
    {
        var config = AkdVectors.Config(name);
        var states = ParseStates(name);
        var audit = AkdVectors.Audit(name);
        var state9 = states["State - Epoch 9"];
        var state10 = states["State - Epoch 10"];
        Assert.Equal(audit.GetProperty("start_hash").GetString(), config.RootHash(state9.RootHash).ToHex());
        Assert.Equal(audit.GetProperty("end_hash").GetString(), config.RootHash(state10.RootHash).ToHex());

        var trie = new MerkleTrie(config);
        foreach (var group in state10.Leaves.GroupBy(l => l.Epoch).OrderBy(g => g.Key))
        {
            trie.InsertBatch(group.Select(l => new AzksElement(l.Label, l.Commitment)).ToList(), group.Key);
            if (group.Key == 8)
            {
                Assert.Equal(config.RootHash(state9.RootHash), trie.RootHash);
            }
        }

        Assert.Equal(state10.Leaves.Count, (int)trie.LeafCount);
        Assert.Equal(config.RootHash(state10.RootHash), trie.RootHash);

        var step = trie.AppendOnlyStep(8, 9);
        var expected = AkdProofCodec.DecodeSingleAppendOnlyProof(AkdVectors.AuditProofBytes(name));
        Assert.Equal(expected.Inserted, step.Inserted);
        Assert.Equal(expected.UnchangedNodes, step.UnchangedNodes);
        Assert.Equal(AkdVectors.AuditProofBytes(name), AkdProofCodec.Encode(step));
        AppendOnlyVerifier.VerifyStep(config, step, config.RootHash(state9.RootHash), trie.RootHash, 9);
    }

    private sealed record State(Digest RootHash, List<(NodeLabel Label, Digest Commitment, ulong Epoch)> Leaves);

    // A line-oriented reader for the dump's TreeNode records: only latest_node's label, last_epoch,
    // node_type and hash are needed.
    private static Dictionary<string, State> ParseStates(string name)
    {
        var result = new Dictionary<string, State>(StringComparer.Ordinal);
        string? section = null;
        Digest root = default;
        List<(NodeLabel, Digest, ulong)> leaves = [];
        var inLatest = false;
        string? labelVal = null;
        int? labelLen = null;
        ulong epoch = 0;
        string? type = null;
        void Finish()
        {
            if (section is not null)
            {
                result[section] = new State(root, leaves);
            }
        }

        foreach (var raw in File.ReadAllLines(Path.Combine(AkdVectors.Root, "fixture_generator", $"{name}.yaml")))
        {
            if (raw.StartsWith("# ", StringComparison.Ordinal))
            {
                Finish();
                section = raw[2..].Trim();
                leaves = [];
                root = default;
                continue;
            }

            var line = raw.Trim();
            var indent = raw.Length - raw.TrimStart().Length;
            if (indent == 2 && line.EndsWith(':'))
            {
                inLatest = line == "latest_node:";
                labelVal = null;
                labelLen = null;
                continue;
            }

            if (!inLatest || indent < 4)
            {
                continue;
            }

            if (indent == 6 && line.StartsWith("label_val:", StringComparison.Ordinal) && labelVal is null)
            {
                labelVal = line["label_val:".Length..].Trim().Trim('\'');
            }
            else if (indent == 6 && line.StartsWith("label_len:", StringComparison.Ordinal) && labelVal is not null && labelLen is null)
            {
                labelLen = int.Parse(line["label_len:".Length..], CultureInfo.InvariantCulture);
            }
            else if (indent == 4 && line.StartsWith("last_epoch:", StringComparison.Ordinal))
            {
                epoch = ulong.Parse(line["last_epoch:".Length..], CultureInfo.InvariantCulture);
            }
            else if (indent == 4 && line.StartsWith("node_type:", StringComparison.Ordinal))
            {
                type = line["node_type:".Length..].Trim();
            }
            else if (indent == 4 && line.StartsWith("hash:", StringComparison.Ordinal))
            {
                var hash = new Digest(Convert.FromHexString(line["hash:".Length..].Trim()));
                if (type == "Root")
                {
                    root = hash;
                }
                else if (type == "Leaf")
                {
                    leaves.Add((new NodeLabel(Convert.FromHexString(labelVal!), labelLen!.Value), hash, epoch));
                }

                type = null;
                labelVal = null;
                labelLen = null;
                inLatest = false;
            }
        }

        Finish();
        return result;
    }
}
