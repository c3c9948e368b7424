// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Chhaya.LogStore;
using Chhaya.Node.Witnessing;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Witness;
using Chhaya.Witness.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chhaya.Node.Tests;

/// <summary>
/// Nodes that follow a directory without being in its quorum, on real nodes over 127.0.0.1: they audit every
/// epoch with proofs from whichever peer has them, and sign nothing.
/// </summary>
public sealed class AuditorNodeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task An_auditor_whose_configured_source_is_down_audits_with_proofs_from_a_witness_peer()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.3);
        var witness = network.Witnesses[0];
        var auditor = await network.StartAuditorAsync([DeadAddress()], [WitnessNetwork.AddressOf(witness)]);

        await WaitUntilAsync(async () => await ValidStepsAsync(auditor.Store, network.DirectoryId) >= 5);

        var follower = Assert.Single(auditor.App.Services.GetRequiredService<WitnessService>().Followers);
        Assert.False(follower.IsWitness);
        Assert.True(follower.Audits);
        await AssertSignsNothingAsync(auditor);
        using var db = auditor.Store.Contexts.Create();
        Assert.Empty(await db.EquivocationEvidence.AsNoTracking().ToListAsync());
        Assert.DoesNotContain(await db.AuditResults.AsNoTracking().ToListAsync(), a => a.Verdict != WitnessEngine.ValidVerdict);
    }

    [Fact]
    public async Task An_auditor_with_no_source_audits_a_stopped_directory_from_a_witness_history_and_skips_a_peer_serving_garbage()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.3);
        var witness = network.Witnesses[0];

        // The witness audits a run of epochs; then the directory goes away for good, so every head and proof
        // the auditors get can only come from the witness's stored history (or the hostile peer below).
        await WaitUntilAsync(async () => await ValidStepsAsync(witness.Store, network.DirectoryId) >= 16);
        await network.Producer.App.StopAsync();
        var audited = await LastValidStepAsync(witness.Store, network.DirectoryId);

        // A peer that lists the audit protocol and answers every proof request with garbage.
        var hostileServed = 0;
        await using var hostile = new Libp2pHost(new Libp2pHostOptions
        {
            Identity = Ed25519Identity.Generate(),
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        hostile.Router.Register(DirectoryProtocol.ProtocolId, async (context, cancellationToken) =>
        {
            var request = DirectoryProtocol.DecodeRequest(await DirectoryProtocol.ReadMessageAsync(context.Stream, DirectoryProtocol.RequestLength, cancellationToken));
            byte[] response = request.Kind == DirectoryRequestKind.AppendOnlyProof
                ? [(byte)DirectoryResponseStatus.Ok, .. RandomNumberGenerator.GetBytes(300)]
                : [(byte)DirectoryResponseStatus.NotFound];
            if (request.Kind == DirectoryRequestKind.AppendOnlyProof)
            {
                Interlocked.Increment(ref hostileServed);
            }

            await DirectoryProtocol.WriteMessageAsync(context.Stream, response, cancellationToken);
            await context.Stream.CloseWriteAsync(cancellationToken);
        });
        using var timeout = new CancellationTokenSource(Limit);
        await hostile.StartAsync(timeout.Token);

        var auditor = await network.StartAuditorAsync([], [WitnessNetwork.AddressOf(witness)]);
        await hostile.DialAsync(Multiaddr.Parse(WitnessNetwork.AddressOf(auditor)), timeout.Token);

        // Peers are asked in random order, one shuffle per step: over 16 steps the hostile one is asked
        // first at some step with near certainty, and then the witness must still be asked for that step.
        await WaitUntilAsync(async () =>
            await LastValidStepAsync(auditor.Store, network.DirectoryId) >= audited && Volatile.Read(ref hostileServed) > 0);

        using (var db = auditor.Store.Contexts.Create())
        {
            var steps = await db.AuditResults.AsNoTracking().Where(a => a.DirectoryId == network.DirectoryId).ToListAsync();
            var valid = steps.Where(a => a.Verdict == WitnessEngine.ValidVerdict).ToList();
            var invalid = steps.Where(a => a.Verdict != WitnessEngine.ValidVerdict).ToList();

            // Every epoch up to the witness's was audited, each with exactly the proof bytes the witness verified.
            var epochs = valid.Select(a => a.ToEpoch).Distinct().Order().ToList();
            Assert.Equal(Enumerable.Range(1, epochs.Count).Select(e => (long)e), epochs);
            Assert.True(epochs[^1] >= audited);
            using var witnessDb = witness.Store.Contexts.Create();
            foreach (var step in valid)
            {
                var original = await witnessDb.AuditResults.AsNoTracking()
                    .FirstAsync(a => a.DirectoryId == network.DirectoryId && a.ToEpoch == step.ToEpoch && a.Verdict == WitnessEngine.ValidVerdict);
                Assert.Equal(original.Proof, step.Proof);
            }

            // The garbage was refused, kept as local evidence, and the same step then verified with the witness's
            // proof. (The witness may hold the head after its last audited epoch without a proof for it: that step
            // stays unverified at the auditor too.)
            Assert.NotEmpty(invalid);
            var witnessLast = await LastValidStepAsync(witness.Store, network.DirectoryId);
            Assert.All(invalid.Where(bad => bad.ToEpoch <= witnessLast), bad =>
                Assert.Contains(valid, good => good.FromEpoch == bad.FromEpoch && good.ToEpoch == bad.ToEpoch && good.Sequence > bad.Sequence));
            Assert.Contains(invalid, bad => bad.ToEpoch <= witnessLast);
            Assert.All(await db.EquivocationEvidence.AsNoTracking().ToListAsync(), e => Assert.Equal("append-only-proof-failed", e.Kind));
        }

        // After its first failing proof the hostile peer is distrusted (PeerDirectorySource.DistrustPeriod) and
        // never asked for a proof again, although it stays connected and each later step shuffles the peers anew.
        Assert.Equal(1, Volatile.Read(ref hostileServed));

        await AssertSignsNothingAsync(auditor);
    }

    [Fact]
    public async Task A_follower_serves_only_what_it_verified_one_epoch_step_at_a_time()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.3);
        var witness = network.Witnesses[0];
        await WaitUntilAsync(async () => await ValidStepsAsync(witness.Store, network.DirectoryId) >= 3);

        var host = witness.App.Services.GetRequiredService<Chhaya.Node.P2p.NodeP2pHost>().Host;
        Assert.Contains(DirectoryProtocol.ProtocolId, host.Router.Protocols);
        await using var client = new Libp2pHost(new Libp2pHostOptions
        {
            Identity = Ed25519Identity.Generate(),
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        using var timeout = new CancellationTokenSource(Limit);
        await client.StartAsync(timeout.Token);
        var connection = await client.DialAsync(Multiaddr.Parse(WitnessNetwork.AddressOf(witness)), timeout.Token);
        var directoryId = new Chhaya.Vkd.Core.Digest(Convert.FromHexString(network.DirectoryId));
        var source = new Libp2pDirectorySource(client, connection, directoryId);

        using var db = witness.Store.Contexts.Create();
        var stored = await db.AuditResults.AsNoTracking().FirstAsync(a => a.DirectoryId == network.DirectoryId && a.FromEpoch == 1 && a.Verdict == WitnessEngine.ValidVerdict);
        Assert.Equal(stored.Proof, await source.GetAppendOnlyProofAsync(1, 2, timeout.Token));
        var head = await source.GetHeadAsync(2, timeout.Token);
        Assert.Equal(stored.ToRoot, head!.Head.Root.ToArray());

        // Spans it never verified as one step, epochs it never saw, directories it does not follow: not found.
        var span = await Assert.ThrowsAsync<InvalidOperationException>(() => source.GetAppendOnlyProofAsync(0, 2, timeout.Token));
        Assert.Contains("NotFound", span.Message, StringComparison.Ordinal);
        Assert.Null(await source.GetHeadAsync(1_000_000, timeout.Token));
        Assert.Null(await new Libp2pDirectorySource(client, connection, new Chhaya.Vkd.Core.Digest(new byte[32])).GetHeadAsync(0, timeout.Token));
    }

    private static async Task AssertSignsNothingAsync(TestNode auditor)
    {
        using var key = Chhaya.Node.Identity.WitnessKey.LoadOrCreate(Path.Combine(auditor.DataDirectory, "witness.key"));
        var own = key.PublicKey.Bytes.ToArray();
        using var db = auditor.Store.Contexts.Create();
        Assert.Equal(0, await db.CoSignatures.CountAsync(c => c.WitnessPublicKey == own));
    }

    private static async Task<int> ValidStepsAsync(HistoryStore store, string directory)
    {
        using var db = store.Contexts.Create();
        return await db.AuditResults.CountAsync(a => a.DirectoryId == directory && a.Verdict == WitnessEngine.ValidVerdict);
    }

    private static async Task<long> LastValidStepAsync(HistoryStore store, string directory)
    {
        using var db = store.Contexts.Create();
        return await db.AuditResults.Where(a => a.DirectoryId == directory && a.Verdict == WitnessEngine.ValidVerdict).MaxAsync(a => (long?)a.ToEpoch) ?? 0;
    }

    /// <summary>A well-formed source address where nothing listens.</summary>
    private static string DeadAddress()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"/ip4/127.0.0.1/tcp/{port}/p2p/{Ed25519Identity.Generate().PeerId}";
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }
}
