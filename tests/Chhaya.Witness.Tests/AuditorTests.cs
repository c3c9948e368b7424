// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Wire;
using Chhaya.Witness.Evidence;
using Chhaya.Witness.Following;
using Chhaya.Witness.Gossip;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Witness.Tests;

/// <summary>An engine without a BLS key: the witness's pipeline and evidence, never a co-signature.</summary>
public sealed class AuditorTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_auditor_verifies_and_stores_every_step_with_its_proof_and_signs_nothing()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        var source = new ProducerSource(h.Producer);
        using var auditor = Auditor(h, store, source);
        Assert.False(auditor.IsWitness);
        Assert.Null(auditor.PublicKey);

        await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        await h.Producer.PublishAsync([]);
        var head3 = await h.Producer.PublishAsync([WitnessHarness.Update("bob", "b1")]);

        // A head three epochs ahead: the gap is filled epoch by epoch, one stored proof per step.
        var outcome = await auditor.OnHeadAsync(head3, "test", None);
        Assert.Equal(HeadDisposition.Audited, outcome.Disposition);
        Assert.Empty(outcome.CoSignatures);
        Assert.Null(outcome.Evidence);
        Assert.Equal(HeadDisposition.AlreadyAudited, (await auditor.OnHeadAsync(head3, "again", None)).Disposition);

        using (var db = store.Contexts.Create())
        {
            var steps = await db.AuditResults.AsNoTracking().OrderBy(a => a.Sequence).ToListAsync();
            Assert.Equal([(0L, 1L), (1L, 2L), (2L, 3L)], steps.Select(a => (a.FromEpoch, a.ToEpoch)));
            Assert.All(steps, a => Assert.Equal(WitnessEngine.ValidVerdict, a.Verdict));
            Assert.Equal(AkdProofCodec.Encode(h.Producer.GetAppendOnlyProof(2, 3)), steps[2].Proof);
            Assert.Equal(head3.Head.Root.ToArray(), steps[2].ToRoot);
            Assert.Equal(4, await db.EpochHeads.CountAsync());
            Assert.Equal(0, await db.CoSignatures.CountAsync());
        }

        // A new engine on the same store (a restart) resumes after epoch 3: one proof for one new step.
        using var restarted = Auditor(h, store, source);
        var requests = source.ProofRequests;
        var head4 = await h.Producer.PublishAsync([]);
        Assert.Equal(HeadDisposition.Audited, (await restarted.OnHeadAsync(head4, "test", None)).Disposition);
        Assert.Equal(requests + 1, source.ProofRequests);
        Assert.Equal(HeadDisposition.AlreadyAudited, (await restarted.OnHeadAsync(head3, "late gossip", None)).Disposition);
    }

    [Fact]
    public async Task An_auditor_refuses_a_failing_proof_with_evidence_and_accepts_the_step_once_a_good_proof_comes()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        var source = new ProducerSource(h.Producer);
        using var auditor = Auditor(h, store, source);
        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        var head2 = await h.Producer.PublishAsync([WitnessHarness.Update("bob", "b1")]);
        Assert.Equal(HeadDisposition.Audited, (await auditor.OnHeadAsync(head1, "test", None)).Disposition);

        // A lying source serves the proof of another step.
        source.ProofOverride = (_, _) => AkdProofCodec.Encode(h.Producer.GetAppendOnlyProof(0, 1));
        var refused = await auditor.OnHeadAsync(head2, "test", None);
        Assert.Equal(HeadDisposition.Rejected, refused.Disposition);
        Assert.Equal(EvidenceKind.AppendOnlyProofFailed, refused.Evidence!.Kind);
        Assert.Null(EvidenceBundle.Decode(refused.Evidence.Encode()).Verify());

        source.ProofOverride = null;
        Assert.Equal(HeadDisposition.Audited, (await auditor.OnHeadAsync(head2, "test", None)).Disposition);

        using var db = store.Contexts.Create();
        var verdicts = await db.AuditResults.AsNoTracking().Where(a => a.ToEpoch == 2).OrderBy(a => a.Sequence).Select(a => a.Verdict).ToListAsync();
        Assert.Equal(["invalid", WitnessEngine.ValidVerdict], verdicts);
        Assert.Equal("append-only-proof-failed", (await db.EquivocationEvidence.AsNoTracking().SingleAsync()).Kind);
        Assert.Equal(0, await db.CoSignatures.CountAsync());
    }

    [Fact]
    public async Task An_auditor_catches_a_head_that_does_not_extend_what_it_audited()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        using var auditor = Auditor(h, store, new ProducerSource(h.Producer));
        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        Assert.Equal(HeadDisposition.Audited, (await auditor.OnHeadAsync(head1, "test", None)).Disposition);

        using var seed = Chhaya.Safety.SecretBytes.CopyFrom(WitnessHarness.SigningSeed);
        var bogus = SignedEpochHead.Sign(head1.Head with { Epoch = 2, PreviousRoot = head1.Head.PreviousRoot }, seed);
        var outcome = await auditor.OnHeadAsync(bogus, "peer", None);
        Assert.Equal(HeadDisposition.Equivocation, outcome.Disposition);
        Assert.Equal(EvidenceKind.NonExtendingHead, outcome.Evidence!.Kind);
        Assert.Null(outcome.Evidence.Verify());

        // Halted: later honest heads are no longer audited.
        var head2 = await h.Producer.PublishAsync([]);
        Assert.Equal(HeadDisposition.Halted, (await auditor.OnHeadAsync(head2, "test", None)).Disposition);
        using var db = store.Contexts.Create();
        Assert.Equal(0, await db.CoSignatures.CountAsync());
    }

    [Fact]
    public async Task An_auditor_follower_catches_a_forked_directory_on_gossip_and_publishes_the_evidence()
    {
        using var h = await WitnessHarness.CreateAsync(witnesses: 3, threshold: 2);
        using var fork = await WitnessHarness.OpenProducerAsync();
        var bus = new InMemoryGossipBus();
        var store = await h.NewStoreAsync("auditor");
        var gossip = bus.Join("auditor");
        using var follower = new DirectoryFollower(
            h.Followed,
            Auditor(h, store, new ProducerSource(h.Producer)),
            new CertificateAggregator(h.Followed, store, NullLogger<CertificateAggregator>.Instance),
            gossip,
            store,
            new StallDetector(TimeSpan.FromSeconds(10), 3, TimeProvider.System.GetUtcNow()),
            new IgnoredAlerts(),
            TimeProvider.System,
            NullLogger<DirectoryFollower>.Instance);
        follower.Attach();
        Assert.False(follower.IsWitness);
        Assert.True(follower.Audits);

        // Another node listens on the alerts topic: what the auditor publishes there arrives as a bundle.
        var listener = bus.Join("listener");
        var alerts = new List<byte[]>();
        var coSignatures = new List<byte[]>();
        listener.Subscribe(WitnessTopics.Alerts, AlertRelay.Validate, (m, _) =>
        {
            alerts.Add(m.Data.ToArray());
            return Task.CompletedTask;
        });
        listener.Subscribe(WitnessTopics.CoSignatures(WitnessHarness.DirectoryId), _ => GossipVerdict.Accept, (m, _) =>
        {
            coSignatures.Add(m.Data.ToArray());
            return Task.CompletedTask;
        });

        var directory = bus.Join("directory");
        var topic = WitnessTopics.Heads(WitnessHarness.DirectoryId);
        await directory.PublishAsync(topic, (await h.Producer.GetHeadAsync(0))!.Encode(), None);
        var honest = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        await directory.PublishAsync(topic, honest.Encode(), None);
        var forked = await fork.PublishAsync([WitnessHarness.Update("alice", "evil")]);
        await directory.PublishAsync(topic, forked.Encode(), None);

        using var db = store.Contexts.Create();
        var step = Assert.Single(await db.AuditResults.AsNoTracking().ToListAsync());
        Assert.Equal((0L, 1L, WitnessEngine.ValidVerdict), (step.FromEpoch, step.ToEpoch, step.Verdict));
        Assert.NotEmpty(step.Proof);
        var evidence = Assert.Single(await db.EquivocationEvidence.AsNoTracking().ToListAsync());
        Assert.Equal("conflicting-heads", evidence.Kind);
        Assert.Contains(await db.Alerts.AsNoTracking().ToListAsync(), a => a.Severity == "critical" && a.Message.Contains("auditor", StringComparison.Ordinal));
        var published = Assert.Single(alerts);
        Assert.Equal(evidence.Evidence, published);
        Assert.Null(EvidenceBundle.Decode(published).Verify());
        Assert.Equal(0, await db.CoSignatures.CountAsync());
        Assert.Empty(coSignatures);
    }

    private static WitnessEngine Auditor(WitnessHarness h, HistoryStore store, IDirectorySource source) =>
        new(h.Followed, null, store, source, NullLogger<WitnessEngine>.Instance);

    private sealed class IgnoredAlerts : IAlertNotifier
    {
        public void Notify(WitnessAlert alert)
        {
        }
    }
}
