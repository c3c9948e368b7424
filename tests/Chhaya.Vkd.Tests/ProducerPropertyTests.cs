// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;
using CsCheck;

namespace Chhaya.Vkd.Tests;

/// <summary>
/// Random publish / lookup / history / audit sequences on our producer, verified by our verifier.
/// Uses <see cref="TestHashVrf"/> for speed; the tree, hashing and proofs are the real ones.
/// </summary>
public class ProducerPropertyTests
{
    private static readonly string[] Labels = ["alice", "bob", "carol", "dave", "erin", "frank"];

    // A scenario: per epoch, a set of (label index, value seed) updates; empty epochs allowed.
    private static readonly Gen<(int Config, (int Label, int Value)[][] Epochs)> Scenario =
        Gen.Select(Gen.Int[0, 1], Gen.Select(Gen.Int[0, Labels.Length - 1], Gen.Int[0, 1000]).Array[0, 4].Array[1, 6]);

    [Fact]
    public void Random_sequences_verify()
    {
        Scenario.Sample(s => Run(s, (dir, vrf, heads, expected) =>
        {
            var latest = heads[^1].Head;
            foreach (var (label, values) in expected)
            {
                var key = System.Text.Encoding.UTF8.GetBytes(label);
                var lookup = AkdProofCodec.DecodeLookupProof(AkdProofCodec.Encode(dir.GetLookupProof(key)));
                var r = VkdVerifier.VerifyLookup(dir.Configuration, vrf, vrf.PublicKey.ToArray(), latest.Root, latest.Epoch, key, lookup);
                Assert.Equal(values[^1].Value, System.Text.Encoding.UTF8.GetString(r.Value.Span));
                Assert.Equal((ulong)values.Count, r.Version);
                Assert.Equal(values[^1].Epoch, r.Epoch);

                var history = AkdProofCodec.DecodeHistoryProof(AkdProofCodec.Encode(dir.GetHistoryProof(key, HistoryParams.Complete)));
                var all = VkdVerifier.VerifyHistory(dir.Configuration, vrf, vrf.PublicKey.ToArray(), latest.Root, latest.Epoch, key, history, HistoryParams.Complete);
                Assert.Equal(values.Select(v => v.Value).Reverse(), all.Select(x => System.Text.Encoding.UTF8.GetString(x.Value.Span)));

                var recent = dir.GetHistoryProof(key, HistoryParams.MostRecent(2));
                var two = VkdVerifier.VerifyHistory(dir.Configuration, vrf, vrf.PublicKey.ToArray(), latest.Root, latest.Epoch, key, recent, HistoryParams.MostRecent(2));
                Assert.Equal(Math.Min(2, values.Count), two.Count);
            }

            // Append-only between every pair of epochs, in memory and streamed.
            for (var a = 0; a < heads.Count; a++)
            {
                for (var b = a + 1; b < heads.Count; b++)
                {
                    var proof = dir.GetAppendOnlyProof((ulong)a, (ulong)b);
                    AppendOnlyVerifier.Verify(dir.Configuration, heads.Skip(a).Take(b - a + 1).Select(h => h.Head.Root).ToList(), proof);
                }

                if (a + 1 < heads.Count)
                {
                    var step = AkdProofCodec.Encode(dir.GetAppendOnlyProof((ulong)a, (ulong)a + 1).Proofs[0]);
                    StreamingAuditVerifier.Verify(dir.Configuration, new MemoryStream(step), heads[a].Head.Root, heads[a + 1].Head.Root, (ulong)a + 1);
                    heads[a + 1].Verify(dir.SigningPublicKey, heads[a].Head);
                }
            }
        }), iter: 25, threads: 1);
    }

    [Fact]
    public void Any_changed_byte_of_any_proof_is_rejected()
    {
        var gen = Gen.Select(Scenario, Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Byte[1, 255]);
        gen.Sample(t =>
        {
            var (scenario, kind, position, mask) = t;
            Run(scenario, (dir, vrf, heads, expected) =>
            {
                var latest = heads[^1].Head;
                var pk = vrf.PublicKey.ToArray();
                var label = System.Text.Encoding.UTF8.GetBytes(expected.Keys.First());
                (byte[] Bytes, Action<byte[]> Verify) c = kind switch
                {
                    0 => (AkdProofCodec.Encode(dir.GetLookupProof(label)),
                        b => VkdVerifier.VerifyLookup(dir.Configuration, vrf, pk, latest.Root, latest.Epoch, label, AkdProofCodec.DecodeLookupProof(b))),
                    1 => (AkdProofCodec.Encode(dir.GetHistoryProof(label, HistoryParams.Complete)),
                        b => VkdVerifier.VerifyHistory(dir.Configuration, vrf, pk, latest.Root, latest.Epoch, label, AkdProofCodec.DecodeHistoryProof(b), HistoryParams.Complete)),
                    _ => (AkdProofCodec.Encode(dir.GetAppendOnlyProof(0, latest.Epoch)),
                        b => AppendOnlyVerifier.Verify(dir.Configuration, heads.Select(h => h.Head.Root).ToList(), AkdProofCodec.DecodeAppendOnlyProof(b), startEpoch: 0)),
                };
                c.Verify(c.Bytes);
                var tampered = (byte[])c.Bytes.Clone();
                tampered[position % tampered.Length] ^= mask;
                Assert.False(Accepts(() => c.Verify(tampered)), $"kind {kind} byte {position % tampered.Length} ^ {mask:x2}");
            }, requireLabel: true);
        }, iter: 300, threads: 1);
    }

    internal static void Run(
        (int Config, (int Label, int Value)[][] Epochs) scenario,
        Action<VkdDirectory, TestHashVrf, List<Epochs.SignedEpochHead>, Dictionary<string, List<(string Value, ulong Epoch)>>> check,
        bool requireLabel = false)
    {
        var config = AkdVectors.Config(scenario.Config == 0 ? "whatsapp_v1" : "experimental");
        var vrf = new TestHashVrf(ProducerHarness.VrfKey);
        using var dir = ProducerHarness.OpenAsync(config, vrf).GetAwaiter().GetResult();
        var heads = new List<Epochs.SignedEpochHead> { dir.LatestHead };
        var expected = new Dictionary<string, List<(string Value, ulong Epoch)>>(StringComparer.Ordinal);
        foreach (var epochUpdates in scenario.Epochs)
        {
            var batch = epochUpdates.DistinctBy(u => u.Label).Select(u => (Label: Labels[u.Label], Value: $"{Labels[u.Label]}:{u.Value}")).ToList();
            var head = dir.PublishAsync(batch.Select(b => ProducerHarness.Update(b.Label, b.Value)).ToList()).GetAwaiter().GetResult();
            heads.Add(head);
            foreach (var (label, value) in batch)
            {
                if (!expected.TryGetValue(label, out var list))
                {
                    list = [];
                    expected[label] = list;
                }

                list.Add((value, head.Head.Epoch));
            }
        }

        if (requireLabel && expected.Count == 0)
        {
            return;
        }

        check(dir, vrf, heads, expected);
    }

    internal static bool Accepts(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (MalformedInputException)
        {
            return false;
        }
        catch (VkdVerificationException)
        {
            return false;
        }
    }
}
