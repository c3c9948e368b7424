// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Chhaya.Witness.Evidence;
using Chhaya.Witness.Following;
using Chhaya.Witness.Gossip;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Witness.Tests;

public sealed class DirectoryFollowerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Heads_gossiped_to_three_witnesses_end_in_a_certificate_at_every_node()
    {
        using var h = await WitnessHarness.CreateAsync(witnesses: 3, threshold: 2);
        var bus = new InMemoryGossipBus();
        var nodes = new List<Node>();
        for (var i = 0; i < 3; i++)
        {
            nodes.Add(await Node.StartAsync(h, bus, $"witness-{i}", witness: i));
        }

        nodes.Add(await Node.StartAsync(h, bus, "auditor", witness: null));
        var producer = bus.Join("directory");

        await producer.PublishAsync(WitnessTopics.Heads(WitnessHarness.DirectoryId), (await h.Producer.GetHeadAsync(0))!.Encode(), None);
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            var head = await h.Producer.PublishAsync([WitnessHarness.Update($"user{epoch}", $"key{epoch}")]);
            await producer.PublishAsync(WitnessTopics.Heads(WitnessHarness.DirectoryId), head.Encode(), None);
        }

        foreach (var node in nodes)
        {
            using var db = node.Store.Contexts.Create();
            var certified = await db.QuorumCertificates.AsNoTracking().Select(q => q.Epoch).Distinct().OrderBy(e => e).ToListAsync();
            Assert.Equal([0L, 1L, 2L, 3L], certified);
            Assert.Equal(3, await db.CoSignatures.AsNoTracking().Where(c => c.Epoch == 3).Select(c => c.WitnessPublicKey).Distinct().CountAsync());
            Assert.Empty(await db.EquivocationEvidence.AsNoTracking().ToListAsync());
        }

        Assert.DoesNotContain(bus.Verdicts, v => v.Verdict == GossipVerdict.Reject);
        // Certificates travel too (each formed certificate is gossiped by the node that formed it).
        Assert.Contains(bus.Verdicts, v => v.Topic == WitnessTopics.Certificates(WitnessHarness.DirectoryId) && v.Verdict == GossipVerdict.Accept);
        Dispose(nodes);
    }

    [Fact]
    public async Task An_equivocating_directory_is_caught_and_the_evidence_reaches_a_node_that_is_not_a_witness()
    {
        using var h = await WitnessHarness.CreateAsync(witnesses: 3, threshold: 2);
        using var fork = await WitnessHarness.OpenProducerAsync();
        var bus = new InMemoryGossipBus();
        var witness = await Node.StartAsync(h, bus, "witness-0", witness: 0);
        var auditor = await Node.StartAsync(h, bus, "auditor", witness: null);
        var producer = bus.Join("directory");
        var topic = WitnessTopics.Heads(WitnessHarness.DirectoryId);

        await producer.PublishAsync(topic, (await h.Producer.GetHeadAsync(0))!.Encode(), None);
        var honest = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        var forked = await fork.PublishAsync([WitnessHarness.Update("alice", "evil")]);
        Assert.Equal(honest.Head.Epoch, forked.Head.Epoch);
        Assert.NotEqual(honest.Head.Root, forked.Head.Root);
        await producer.PublishAsync(topic, honest.Encode(), None);
        await producer.PublishAsync(topic, forked.Encode(), None);

        foreach (var node in new[] { witness, auditor })
        {
            using var db = node.Store.Contexts.Create();
            var row = Assert.Single(await db.EquivocationEvidence.AsNoTracking().ToListAsync());
            Assert.Equal("conflicting-heads", row.Kind);
            Assert.Null(EvidenceBundle.Decode(row.Evidence).Verify());
            Assert.Contains(await db.Alerts.AsNoTracking().ToListAsync(), a => a.Severity == "critical" && a.EvidenceSequence == row.Sequence);
        }

        Assert.Contains(witness.Notified, a => a.Kind == "conflicting-heads" && a.Evidence is not null);
        Assert.Contains(auditor.Notified, a => a.Kind == "conflicting-heads");

        // The same bundle again is not stored twice.
        using (var db = witness.Store.Contexts.Create())
        {
            var bundle = (await db.EquivocationEvidence.AsNoTracking().SingleAsync()).Evidence;
            Assert.False(await auditor.Relay.OfferAsync(bundle, "again", None));
        }

        // The witness halted: a later honest head is not co-signed.
        var next = await h.Producer.PublishAsync([]);
        var outcome = await witness.Follower.OfferHeadAsync(next, "test", None);
        Assert.Equal(HeadDisposition.Halted, outcome!.Disposition);
        Dispose([witness, auditor]);
    }

    [Fact]
    public async Task Garbage_and_forged_messages_are_rejected_by_every_validator()
    {
        using var h = await WitnessHarness.CreateAsync();
        var bus = new InMemoryGossipBus();
        var node = await Node.StartAsync(h, bus, "node", witness: 0);
        var genesis = (await h.Producer.GetHeadAsync(0))!;

        Assert.Equal(GossipVerdict.Reject, node.Follower.ValidateHead(new byte[3]));
        var tampered = genesis.Encode();
        tampered[^1] ^= 1;
        Assert.Equal(GossipVerdict.Reject, node.Follower.ValidateHead(tampered));
        Assert.Equal(GossipVerdict.Accept, node.Follower.ValidateHead(genesis.Encode()));

        // A co-signature by a key outside the quorum, and one over another head.
        using var outsiderKey = Chhaya.Bls.BlsSecretKey.KeyGen(Enumerable.Repeat((byte)0x99, 32).ToArray());
        var outsider = Chhaya.Quorum.CoSignature.Create(outsiderKey, genesis.Head.Encode());
        Assert.Equal(GossipVerdict.Reject, node.Follower.ValidateCoSignature(WitnessGossipCodec.EncodeCoSignature(genesis, outsider)));
        var head1 = await h.Producer.PublishAsync([]);
        var wrongHead = Chhaya.Quorum.CoSignature.Create(h.Keys[1], head1.Head.Encode());
        Assert.Equal(GossipVerdict.Reject, node.Follower.ValidateCoSignature(WitnessGossipCodec.EncodeCoSignature(genesis, wrongHead)));
        Assert.Equal(GossipVerdict.Accept, node.Follower.ValidateCoSignature(WitnessGossipCodec.EncodeCoSignature(head1, wrongHead)));
        Assert.Equal(GossipVerdict.Reject, node.Follower.ValidateCertificate(new byte[400]));
        Assert.Equal(GossipVerdict.Reject, AlertRelay.Validate(new byte[50]));

        // Evidence that does not hold (the same head twice) is refused.
        var bogus = EvidenceBundle.ConflictingHeads(h.Producer.SigningPublicKey, genesis, genesis).Encode();
        Assert.Equal(GossipVerdict.Reject, AlertRelay.Validate(bogus));
        Dispose([node]);
    }

    [Fact]
    public async Task A_directory_that_stops_publishing_raises_one_stall_alert_until_it_moves_again()
    {
        using var h = await WitnessHarness.CreateAsync();
        var time = new ManualTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var node = await Node.StartAsync(h, new InMemoryGossipBus(), "node", witness: 0, time);
        await node.Follower.OfferHeadAsync((await h.Producer.GetHeadAsync(0))!, "test", None);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(await node.Follower.CheckStallAsync(None));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await node.Follower.CheckStallAsync(None));
        Assert.False(await node.Follower.CheckStallAsync(None));

        await node.Follower.OfferHeadAsync(await h.Producer.PublishAsync([]), "test", None);
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(await node.Follower.CheckStallAsync(None));

        using var db = node.Store.Contexts.Create();
        var stalls = await db.Alerts.AsNoTracking().Where(a => a.Kind == "stall").ToListAsync();
        Assert.Equal(2, stalls.Count);
        Assert.Contains("after epoch 1", stalls[1].Message, StringComparison.Ordinal);
        Assert.Equal(2, node.Notified.Count(a => a.Kind == "stall"));
        Dispose([node]);
    }

    private static void Dispose(IEnumerable<Node> nodes)
    {
        foreach (var node in nodes)
        {
            node.Follower.Dispose();
            node.Relay.Dispose();
        }
    }

    /// <summary>One node: its own store, follower and alert relay on the shared bus.</summary>
    private sealed class Node : IAlertNotifier
    {
        private Node(HistoryStore store) => Store = store;

        public HistoryStore Store { get; }

        public DirectoryFollower Follower { get; private set; } = null!;

        public AlertRelay Relay { get; private set; } = null!;

        public List<WitnessAlert> Notified { get; } = [];

        public static async Task<Node> StartAsync(WitnessHarness h, InMemoryGossipBus bus, string name, int? witness, TimeProvider? time = null)
        {
            var store = await h.NewStoreAsync(name);
            var node = new Node(store);
            var gossip = bus.Join(name);
            var clock = time ?? TimeProvider.System;
            node.Follower = new DirectoryFollower(
                h.Followed,
                witness is { } w ? new WitnessEngine(h.Followed, h.Keys[w], store, new ProducerSource(h.Producer), NullLogger<WitnessEngine>.Instance) : null,
                new CertificateAggregator(h.Followed, store, NullLogger<CertificateAggregator>.Instance),
                gossip,
                store,
                new StallDetector(TimeSpan.FromSeconds(10), 3, clock.GetUtcNow()),
                node,
                clock,
                NullLogger<DirectoryFollower>.Instance);
            node.Follower.Attach();
            node.Relay = new AlertRelay([node.Follower], store, node, NullLogger<AlertRelay>.Instance);
            node.Relay.Attach(gossip);
            return node;
        }

        public void Notify(WitnessAlert alert)
        {
            lock (Notified)
            {
                Notified.Add(alert);
            }
        }
    }
}
