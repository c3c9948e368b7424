// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Chhaya.Quorum;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Wire;
using Chhaya.Witness.Evidence;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Witness.Tests;

public class WitnessEngineTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_witness_audits_persists_and_then_co_signs_each_epoch()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        var engine = h.Engine(0, store);

        var genesis = (await h.Producer.GetHeadAsync(0))!;
        var first = await engine.OnHeadAsync(genesis, "test", None);
        Assert.Equal(HeadDisposition.CoSigned, first.Disposition);

        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        var outcome = await engine.OnHeadAsync(head1, "test", None);
        Assert.Equal(HeadDisposition.CoSigned, outcome.Disposition);
        var coSignature = Assert.Single(outcome.CoSignatures);
        Assert.True(coSignature.Verify(head1.Head.Encode()));

        using var db = store.Contexts.Create();
        var stored = await db.CoSignatures.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync();
        Assert.Equal([0L, 1L], stored.Select(c => c.Epoch));
        Assert.Equal(coSignature.Signature.Bytes.ToArray(), stored[1].Signature);
        var audit = Assert.Single(await db.AuditResults.AsNoTracking().ToListAsync());
        Assert.Equal("valid", audit.Verdict);
        Assert.Equal(1, audit.ToEpoch);
    }

    [Fact]
    public async Task A_head_ahead_of_the_witness_fills_the_gap_epoch_by_epoch()
    {
        using var h = await WitnessHarness.CreateAsync();
        var engine = h.Engine(0, await h.NewStoreAsync());
        await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        await h.Producer.PublishAsync([]);
        var head3 = await h.Producer.PublishAsync([WitnessHarness.Update("bob", "b1")]);

        var outcome = await engine.OnHeadAsync(head3, "test", None);
        Assert.Equal(HeadDisposition.CoSigned, outcome.Disposition);
        Assert.Equal(4, outcome.CoSignatures.Count); // epochs 0, 1, 2, 3

        var again = await engine.OnHeadAsync(head3, "test", None);
        Assert.Equal(HeadDisposition.AlreadyCoSigned, again.Disposition);
        Assert.Equal(outcome.CoSignatures[^1].Signature, again.CoSignatures.Single().Signature);
    }

    [Fact]
    public async Task Two_roots_for_one_epoch_produce_verifiable_evidence_and_stop_co_signing()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        var engine = h.Engine(0, store);
        var honest = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        Assert.Equal(HeadDisposition.CoSigned, (await engine.OnHeadAsync(honest, "test", None)).Disposition);

        using var fork = await WitnessHarness.OpenProducerAsync();
        var forged = await fork.PublishAsync([WitnessHarness.Update("alice", "mallory")]);
        Assert.Equal(honest.Head.Epoch, forged.Head.Epoch);

        var outcome = await engine.OnHeadAsync(forged, "peer", None);
        Assert.Equal(HeadDisposition.Equivocation, outcome.Disposition);
        Assert.Empty(outcome.CoSignatures);
        var evidence = EvidenceBundle.Decode(outcome.Evidence!.Encode());
        Assert.Equal(EvidenceKind.ConflictingHeads, evidence.Kind);
        Assert.Null(evidence.Verify());

        // Stored, alerted, and the witness signs nothing more for this directory.
        using (var db = store.Contexts.Create())
        {
            Assert.Equal("conflicting-heads", (await db.EquivocationEvidence.SingleAsync()).Kind);
            Assert.Equal("critical", (await db.Alerts.SingleAsync()).Severity);
        }

        var next = await h.Producer.PublishAsync([]);
        Assert.Equal(HeadDisposition.Halted, (await engine.OnHeadAsync(next, "test", None)).Disposition);
    }

    [Fact]
    public async Task Tampered_evidence_does_not_verify()
    {
        using var h = await WitnessHarness.CreateAsync();
        var engine = h.Engine(0, await h.NewStoreAsync());
        var honest = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        await engine.OnHeadAsync(honest, "test", None);
        using var fork = await WitnessHarness.OpenProducerAsync();
        var outcome = await engine.OnHeadAsync(await fork.PublishAsync([WitnessHarness.Update("alice", "x")]), "peer", None);
        var bytes = outcome.Evidence!.Encode();

        var failures = 0;
        for (var i = 0; i < bytes.Length; i += 7)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            try
            {
                if (EvidenceBundle.Decode(tampered).Verify() is not null)
                {
                    failures++;
                }
            }
            catch (Chhaya.Safety.MalformedInputException)
            {
                failures++;
            }
        }

        // Every byte is the header, the directory key, a signed head or its signature: any flip is refused.
        Assert.Equal((bytes.Length + 6) / 7, failures);
    }

    [Fact]
    public async Task A_failing_append_only_proof_is_refused_recorded_and_retried_later()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        var source = new ProducerSource(h.Producer);
        var engine = h.Engine(0, store, source);
        await engine.OnHeadAsync((await h.Producer.GetHeadAsync(0))!, "test", None);
        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        var head2 = await h.Producer.PublishAsync([WitnessHarness.Update("bob", "b1")]);
        Assert.Equal(HeadDisposition.CoSigned, (await engine.OnHeadAsync(head1, "test", None)).Disposition);

        // A lying source serves the proof for the wrong step.
        source.ProofOverride = (_, _) => Vkd.Wire.AkdProofCodec.Encode(h.Producer.GetAppendOnlyProof(0, 1));
        var refused = await engine.OnHeadAsync(head2, "test", None);
        Assert.Equal(HeadDisposition.Rejected, refused.Disposition);
        Assert.Equal(EvidenceKind.AppendOnlyProofFailed, refused.Evidence!.Kind);
        Assert.Null(refused.Evidence.Verify());

        source.ProofOverride = null;
        Assert.Equal(HeadDisposition.CoSigned, (await engine.OnHeadAsync(head2, "test", None)).Disposition);
    }

    [Fact]
    public async Task Hostile_proofs_beyond_the_kept_few_are_recorded_by_hash_only_and_reported_to_the_source()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        var good = new ProducerSource(h.Producer);
        await h.Engine(0, store, good).OnHeadAsync((await h.Producer.GetHeadAsync(0))!, "test", None);
        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);

        // Five peers each serve a different garbage proof before one serves the real proof.
        byte[][] garbage = [.. Enumerable.Range(1, 5).Select(i => Enumerable.Repeat((byte)i, 1000 * i).ToArray())];
        var source = new CandidateSource(good, [.. garbage, AkdProofCodec.Encode(h.Producer.GetAppendOnlyProof(0, 1))]);
        var outcome = await h.Engine(0, store, source).OnHeadAsync(head1, "test", None);
        Assert.Equal(HeadDisposition.CoSigned, outcome.Disposition);
        Assert.Equal(5, source.FailuresReported);

        using var db = store.Contexts.Create();
        var rows = await db.AuditResults.AsNoTracking().Where(a => a.ToEpoch == 1).OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(["invalid", "invalid", "invalid", "invalid", "invalid", "valid"], rows.Select(r => r.Verdict));
        Assert.Equal([1000, 2000, 0, 0, 0], rows.Take(5).Select(r => r.Proof.Length));
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(garbage[4])), rows[4].Failure, StringComparison.Ordinal);
        Assert.Contains("not kept", rows[2].Failure, StringComparison.Ordinal);
        Assert.Equal(WitnessEngine.MaxKeptFailingProofsPerStep, await db.EquivocationEvidence.CountAsync(e => e.Epoch == 1));
    }

    /// <summary>Offers the given proofs in turn, as a source asking several peers does, and counts failure reports.</summary>
    private sealed class CandidateSource(IDirectorySource heads, IReadOnlyList<byte[]> proofs) : IDirectorySource
    {
        public int FailuresReported { get; private set; }

        public Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken) => heads.GetHeadAsync(epoch, cancellationToken);

        public Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken) => Task.FromResult(proofs[0]);

        public async IAsyncEnumerable<byte[]> GetAppendOnlyProofCandidatesAsync(ulong fromEpoch, ulong toEpoch, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var proof in proofs)
            {
                await Task.Yield();
                yield return proof;
            }
        }

        public void ReportFailedProof(ulong fromEpoch, ulong toEpoch) => FailuresReported++;
    }

    [Fact]
    public async Task A_head_that_does_not_extend_the_co_signed_head_is_evidence()
    {
        using var h = await WitnessHarness.CreateAsync();
        var engine = h.Engine(0, await h.NewStoreAsync());
        await engine.OnHeadAsync((await h.Producer.GetHeadAsync(0))!, "test", None);
        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        await engine.OnHeadAsync(head1, "test", None);

        // Epoch 2 signed by the directory, but chained to a root it never published for epoch 1.
        using var seed = Chhaya.Safety.SecretBytes.CopyFrom(WitnessHarness.SigningSeed);
        var bogus = SignedEpochHead.Sign(head1.Head with { Epoch = 2, PreviousRoot = head1.Head.PreviousRoot }, seed);
        var outcome = await engine.OnHeadAsync(bogus, "peer", None);
        Assert.Equal(HeadDisposition.Equivocation, outcome.Disposition);
        Assert.Equal(EvidenceKind.NonExtendingHead, outcome.Evidence!.Kind);
        Assert.Null(outcome.Evidence.Verify());
    }

    [Fact]
    public async Task Bad_signatures_and_other_directories_are_rejected_and_not_stored()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        var engine = h.Engine(0, store);
        var genesis = (await h.Producer.GetHeadAsync(0))!;
        var signature = genesis.Signature.ToArray();
        signature[5] ^= 1;
        Assert.Equal(HeadDisposition.Rejected, (await engine.OnHeadAsync(genesis with { Signature = signature }, "peer", None)).Disposition);
        Assert.Equal(HeadDisposition.Rejected, (await engine.OnHeadAsync(genesis with { Head = genesis.Head with { DirectoryId = default } }, "peer", None)).Disposition);
        using var db = store.Contexts.Create();
        Assert.Equal(0, await db.EpochHeads.CountAsync());
    }

    [Fact]
    public async Task A_restarted_witness_never_signs_a_second_root_for_a_co_signed_epoch()
    {
        using var h = await WitnessHarness.CreateAsync();
        var store = await h.NewStoreAsync();
        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        var before = await h.Engine(0, store).OnHeadAsync(head1, "test", None);
        Assert.Equal(HeadDisposition.CoSigned, before.Disposition);

        // A new engine on the same store, as after a crash: the fork is caught from the stored history alone.
        var restarted = h.Engine(0, store);
        using var fork = await WitnessHarness.OpenProducerAsync();
        var forged = await fork.PublishAsync([WitnessHarness.Update("alice", "evil")]);
        var outcome = await restarted.OnHeadAsync(forged, "peer", None);
        Assert.Equal(HeadDisposition.Equivocation, outcome.Disposition);
        using var db = store.Contexts.Create();
        Assert.Equal(1, await db.CoSignatures.CountAsync(c => c.Epoch == 1));
        Assert.Equal(head1.Head.Root.ToArray(), (await db.CoSignatures.SingleAsync(c => c.Epoch == 1)).Root);
    }

    [Fact]
    public async Task Co_signatures_from_a_quorum_become_a_certificate_that_validates()
    {
        using var h = await WitnessHarness.CreateAsync(witnesses: 3, threshold: 2);
        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        var aggregatorStore = await h.NewStoreAsync("aggregator");
        using var aggregator = new CertificateAggregator(h.Followed, aggregatorStore, Microsoft.Extensions.Logging.Abstractions.NullLogger<CertificateAggregator>.Instance);

        QuorumCertificate? certificate = null;
        for (var w = 0; w < 2; w++)
        {
            var signed = await h.Engine(w, await h.NewStoreAsync($"w{w}")).OnHeadAsync(head1, "test", None);
            var outcome = await aggregator.OnCoSignatureAsync(head1, signed.CoSignatures[^1], None);
            Assert.True(outcome.Accepted, outcome.Reason);
            certificate = outcome.Certificate;
            Assert.Equal(w == 1, certificate is not null);
        }

        Assert.Equal(QuorumValidationError.None, certificate!.Validate(h.Witnesses, head1.Head.Encode()));
        using (var db = aggregatorStore.Contexts.Create())
        {
            Assert.Equal(1, await db.QuorumCertificates.CountAsync());
        }

        // Another node checks the certificate before storing it; a certificate for another head is refused.
        var other = await h.NewStoreAsync("other");
        using var receiver = new CertificateAggregator(h.Followed, other, Microsoft.Extensions.Logging.Abstractions.NullLogger<CertificateAggregator>.Instance);
        Assert.True((await receiver.OnCertificateAsync(head1, QuorumCertificate.Decode(certificate.Encode()), None)).Accepted);
        var genesis = (await h.Producer.GetHeadAsync(0))!;
        Assert.False((await receiver.OnCertificateAsync(genesis, certificate, None)).Accepted);
    }

    [Fact]
    public async Task A_witness_co_signing_two_roots_is_caught_with_transferable_evidence()
    {
        using var h = await WitnessHarness.CreateAsync();
        var head1 = await h.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        using var fork = await WitnessHarness.OpenProducerAsync();
        var forged = await fork.PublishAsync([WitnessHarness.Update("alice", "x")]);
        using var aggregator = new CertificateAggregator(h.Followed, await h.NewStoreAsync("agg"), Microsoft.Extensions.Logging.Abstractions.NullLogger<CertificateAggregator>.Instance);

        // A dishonest witness signs both roots directly with its key.
        var honestSig = CoSignature.Create(h.Keys[2], head1.Head.Encode());
        var forgedSig = CoSignature.Create(h.Keys[2], forged.Head.Encode());
        Assert.True((await aggregator.OnCoSignatureAsync(head1, honestSig, None)).Accepted);
        var outcome = await aggregator.OnCoSignatureAsync(forged, forgedSig, None);
        Assert.False(outcome.Accepted);
        Assert.Equal(EvidenceKind.WitnessEquivocation, outcome.Evidence!.Kind);
        Assert.Null(EvidenceBundle.Decode(outcome.Evidence.Encode()).Verify());
    }
}
