// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Http.Json;
using System.Text.Json;
using Chhaya.Node.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chhaya.Node.Tests;

public sealed class WitnessNodeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_witness_node_audits_and_certifies_the_epochs_of_a_directory_node_over_libp2p()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.3);
        var witness = network.Witnesses[0];

        await WaitUntilAsync(async () =>
        {
            using var db = witness.Store.Contexts.Create();
            return await db.QuorumCertificates.CountAsync(q => q.DirectoryId == network.DirectoryId) >= 3;
        });

        using (var db = witness.Store.Contexts.Create())
        {
            var audits = await db.AuditResults.AsNoTracking().Where(a => a.DirectoryId == network.DirectoryId).ToListAsync();
            Assert.NotEmpty(audits);
            Assert.All(audits, a => Assert.Equal("valid", a.Verdict));
            var epochs = await db.CoSignatures.AsNoTracking().OrderBy(c => c.Sequence).Select(c => c.Epoch).ToListAsync();
            Assert.Equal(Enumerable.Range(0, epochs.Count).Select(i => (long)i), epochs);
            Assert.Empty(await db.EquivocationEvidence.AsNoTracking().ToListAsync());
        }

        using var directories = JsonDocument.Parse(await witness.Http.GetStringAsync(new Uri("/api/v1/directories", UriKind.Relative)));
        Assert.Contains(network.DirectoryId, directories.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Three_witness_nodes_gossip_co_signatures_into_certificates_with_threshold_two()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 3, threshold: 2, epochSeconds: 0.5);
        foreach (var witness in network.Witnesses)
        {
            await WaitUntilAsync(async () =>
            {
                using var db = witness.Store.Contexts.Create();
                var certified = await db.QuorumCertificates.Where(q => q.DirectoryId == network.DirectoryId).Select(q => q.Epoch).Distinct().CountAsync();
                return certified >= 3;
            });
        }

        // Certificates need co-signatures from other nodes, which only gossip brings.
        using var db = network.Witnesses[0].Store.Contexts.Create();
        Assert.True(await db.CoSignatures.Select(c => c.WitnessPublicKey).Distinct().CountAsync() >= 2);
        Assert.Empty(await db.EquivocationEvidence.ToListAsync());

        // The API names a certified epoch's signers from the witness set and serves the proof it audited.
        var certified = await db.QuorumCertificates.Where(q => q.DirectoryId == network.DirectoryId).OrderBy(q => q.Sequence).FirstAsync();
        var http = network.Witnesses[0].Http;
        var epoch = await http.GetFromJsonAsync<EpochDetail>($"/api/v1/directories/{network.DirectoryId}/epochs/{certified.Epoch}");

        // Every witness co-signs, but a slow starter's first co-signatures may still be on their way through
        // gossip when the certificates above exist: wait (bounded) until this node has seen each one sign.
        WitnessesView? witnesses = null;
        await WaitUntilAsync(async () =>
        {
            witnesses = await http.GetFromJsonAsync<WitnessesView>($"/api/v1/directories/{network.DirectoryId}/witnesses");
            return witnesses!.Witnesses.All(w => w.Status != "silent");
        });
        var keys = witnesses!.Witnesses.Where(w => w.Index is not null).Select(w => w.PublicKey).ToList();
        Assert.Equal(3, keys.Count);
        // A node may store two certificates for one epoch (its own and a peer's, formed at the same moment).
        Assert.NotEmpty(epoch!.Certificates);
        Assert.All(epoch.Certificates, certificate =>
        {
            Assert.True(certificate.Signers!.Count >= 2);
            Assert.Subset(keys.ToHashSet(), certificate.Signers.ToHashSet());
        });
        Assert.All(epoch.CoSignatures, c => Assert.Contains(c.WitnessPublicKey, keys));
        if (certified.Epoch > 0)
        {
            var audit = epoch.Audits.First(a => a.Verdict == "valid");
            var stored = await db.AuditResults.Where(a => a.Sequence == audit.Sequence).Select(a => a.Proof).SingleAsync();
            Assert.Equal(stored, await http.GetByteArrayAsync(audit.ProofUrl));
        }

        // How far behind each witness is depends on the machine's load; that each has co-signed and is
        // measured against the newest epoch does not (the classification is tested on fixed data).
        Assert.All(witnesses!.Witnesses, w =>
        {
            Assert.NotEqual("silent", w.Status);
            Assert.Equal(witnesses.LatestEpoch - w.LastCoSignedEpoch, w.EpochsBehind);
        });
    }

    [Fact]
    public async Task A_directory_that_equivocates_is_caught_by_every_witness_with_evidence_that_verifies_offline()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 3, threshold: 2, epochSeconds: 0.5, equivocateAt: 4);
        foreach (var witness in network.Witnesses)
        {
            await WaitUntilAsync(async () =>
            {
                using var db = witness.Store.Contexts.Create();
                // The alert row is written just after the evidence row.
                return await db.EquivocationEvidence.AnyAsync(e => e.DirectoryId == network.DirectoryId && e.Kind == "conflicting-heads")
                    && await db.Alerts.AnyAsync(a => a.Severity == "critical" && a.Kind == "conflicting-heads");
            });

            using var check = witness.Store.Contexts.Create();
            var bundle = (await check.EquivocationEvidence.FirstAsync(e => e.Kind == "conflicting-heads")).Evidence;
            Assert.Null(Chhaya.Witness.Evidence.EvidenceBundle.Decode(bundle).Verify());
        }

        // Once the fork is on record, a witness co-signs nothing more for this directory.
        var before = new List<long>();
        foreach (var witness in network.Witnesses)
        {
            using var db = witness.Store.Contexts.Create();
            before.Add(await db.CoSignatures.MaxAsync(c => (long?)c.Sequence) ?? 0);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        for (var i = 0; i < network.Witnesses.Count; i++)
        {
            using var db = network.Witnesses[i].Store.Contexts.Create();
            var own = network.Witnesses[i].App.Services.GetRequiredService<Chhaya.Node.Witnessing.WitnessService>();
            Assert.All(own.Followers, f => Assert.True(f.IsWitness));
            using var key = Chhaya.Node.Identity.WitnessKey.LoadOrCreate(Path.Combine(network.Witnesses[i].DataDirectory, "witness.key"));
            var ownKey = key.PublicKey.Bytes.ToArray();
            Assert.Equal(0, await db.CoSignatures.CountAsync(c => c.Sequence > before[i] && c.WitnessPublicKey == ownKey));
        }
    }

    [Fact]
    public async Task A_directory_that_stops_is_reported_as_stalled()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.3);
        var witness = network.Witnesses[0];
        await WaitUntilAsync(async () =>
        {
            using var db = witness.Store.Contexts.Create();
            return await db.CoSignatures.AnyAsync();
        });

        await network.Producer.App.StopAsync();
        await WaitUntilAsync(async () =>
        {
            using var db = witness.Store.Contexts.Create();
            return await db.Alerts.AnyAsync(a => a.Kind == "stall" && a.DirectoryId == network.DirectoryId);
        });
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!await condition())
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
