// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.LogStore;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Wire;
using Chhaya.Witness.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Witness.Tests;

/// <summary>A follower serving what it verified over real libp2p on 127.0.0.1, and an engine trying proof after proof.</summary>
public sealed class AuditHistoryServerTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(120));
    private readonly List<IDisposable> _servers = [];
    private WitnessHarness _harness = null!;
    private Libp2pHost _server = null!;
    private Libp2pHost _client = null!;

    public async Task InitializeAsync()
    {
        _harness = await WitnessHarness.CreateAsync();
        _server = NewHost();
        _client = NewHost();
        await _server.StartAsync(_timeout.Token);
        await _client.StartAsync(_timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        _harness.Dispose();
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        _timeout.Dispose();
    }

    [Fact]
    public async Task A_follower_serves_its_stored_heads_and_verified_steps_and_nothing_else()
    {
        var store = await AuditedStoreAsync(epochs: 3);
        Register(DirectoryProtocolServer.ForFollowedDirectories([WitnessHarness.DirectoryId], store, NullLogger<DirectoryProtocolServer>.Instance));
        Assert.Null(DirectoryProtocolServer.FindRunningDirectory(_server.Router, WitnessHarness.DirectoryId));
        var source = await ConnectAsync();

        // Exactly the bytes it verified, and the heads it stored.
        Assert.Equal(AkdProofCodec.Encode(_harness.Producer.GetAppendOnlyProof(1, 2)), await source.GetAppendOnlyProofAsync(1, 2, _timeout.Token));
        Assert.Equal((await _harness.Producer.GetHeadAsync(3))!.Encode(), (await source.GetHeadAsync(3, _timeout.Token))!.Encode());

        // A span it never verified as one step, an epoch it never saw, a bad span, another directory.
        var span = await Assert.ThrowsAsync<InvalidOperationException>(() => source.GetAppendOnlyProofAsync(0, 3, _timeout.Token));
        Assert.Contains("NotFound", span.Message, StringComparison.Ordinal);
        Assert.Null(await source.GetHeadAsync(4, _timeout.Token));
        var backwards = await Assert.ThrowsAsync<InvalidOperationException>(() => source.GetAppendOnlyProofAsync(2, 1, _timeout.Token));
        Assert.Contains("BadRequest", backwards.Message, StringComparison.Ordinal);
        var oversized = await Assert.ThrowsAsync<InvalidOperationException>(() => source.GetAppendOnlyProofAsync(0, 5000, _timeout.Token));
        Assert.Contains("BadRequest", oversized.Message, StringComparison.Ordinal);
        Assert.Null(await new Libp2pDirectorySource(_client, (await ConnectionAsync()), new Digest(new byte[32])).GetHeadAsync(0, _timeout.Token));
    }

    [Fact]
    public async Task A_failed_proof_is_never_served()
    {
        var store = await _harness.NewStoreAsync("auditor");
        var source = new ProducerSource(_harness.Producer);
        using var auditor = new WitnessEngine(_harness.Followed, null, store, source, NullLogger<WitnessEngine>.Instance);
        var head1 = await _harness.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);
        source.ProofOverride = (_, _) => [1, 2, 3];
        Assert.Equal(HeadDisposition.Rejected, (await auditor.OnHeadAsync(head1, "test", _timeout.Token)).Disposition);

        Register(DirectoryProtocolServer.ForFollowedDirectories([WitnessHarness.DirectoryId], store, NullLogger<DirectoryProtocolServer>.Instance));
        var client = await ConnectAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAppendOnlyProofAsync(0, 1, _timeout.Token));
        Assert.Contains("NotFound", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_node_that_runs_and_follows_a_directory_serves_it_live_whichever_registers_first(bool followerFirst)
    {
        var store = await AuditedStoreAsync(epochs: 2);
        var history = DirectoryProtocolServer.ForFollowedDirectories([WitnessHarness.DirectoryId, new Digest(new byte[32])], store, NullLogger<DirectoryProtocolServer>.Instance);
        var live = new DirectoryProtocolServer([(WitnessHarness.DirectoryId, _harness.Producer)], NullLogger<DirectoryProtocolServer>.Instance);
        Register(followerFirst ? history : live);
        Register(followerFirst ? live : history);
        var source = await ConnectAsync();

        // Only the running directory can serve a span of several epochs: the live answer wins.
        var proof = await source.GetAppendOnlyProofAsync(0, 2, _timeout.Token);
        Assert.Equal(AkdProofCodec.Encode(_harness.Producer.GetAppendOnlyProof(0, 2)), proof);
        Assert.NotNull(DirectoryProtocolServer.FindRunningDirectory(_server.Router, WitnessHarness.DirectoryId));

        // The followed-only directory is still answered (from the history, which has nothing for it).
        var other = new Libp2pDirectorySource(_client, await ConnectionAsync(), new Digest(new byte[32]));
        var none = await Assert.ThrowsAsync<InvalidOperationException>(() => other.GetAppendOnlyProofAsync(0, 1, _timeout.Token));
        Assert.Contains("has not audited", none.Message, StringComparison.Ordinal);
        Assert.Null(DirectoryProtocolServer.FindRunningDirectory(_server.Router, new Digest(new byte[32])));
    }

    [Fact]
    public async Task The_engine_tries_each_proof_offered_until_one_verifies()
    {
        var store = await _harness.NewStoreAsync("witness");
        var source = new SeveralPeers(_harness);
        var engine = _harness.Engine(0, store, source);
        var head1 = await _harness.Producer.PublishAsync([WitnessHarness.Update("alice", "a1")]);

        var outcome = await engine.OnHeadAsync(head1, "test", _timeout.Token);
        Assert.Equal(HeadDisposition.CoSigned, outcome.Disposition);
        Assert.Equal(2, outcome.CoSignatures.Count);
        using var db = store.Contexts.Create();
        Assert.Equal(["invalid", "invalid", WitnessEngine.ValidVerdict], await db.AuditResults.AsNoTracking().OrderBy(a => a.Sequence).Select(a => a.Verdict).ToListAsync());
        Assert.Equal(2, await db.EquivocationEvidence.CountAsync(e => e.Kind == "append-only-proof-failed"));
    }

    private async Task<HistoryStore> AuditedStoreAsync(int epochs)
    {
        var store = await _harness.NewStoreAsync("follower");
        using var auditor = new WitnessEngine(_harness.Followed, null, store, new ProducerSource(_harness.Producer), NullLogger<WitnessEngine>.Instance);
        SignedEpochHead head = (await _harness.Producer.GetHeadAsync(0))!;
        for (var i = 1; i <= epochs; i++)
        {
            head = await _harness.Producer.PublishAsync([WitnessHarness.Update($"user{i}", $"key{i}")]);
        }

        Assert.Equal(HeadDisposition.Audited, (await auditor.OnHeadAsync(head, "test", _timeout.Token)).Disposition);
        return store;
    }

    private void Register(DirectoryProtocolServer server)
    {
        _servers.Add(server);
        server.Register(_server.Router);
    }

    private async Task<Libp2pConnection> ConnectionAsync() =>
        await _client.DialAsync(_server.ListenAddresses[0].WithPeerId(_server.PeerId), _timeout.Token);

    private async Task<Libp2pDirectorySource> ConnectAsync() =>
        new(_client, await ConnectionAsync(), WitnessHarness.DirectoryId);

    private static Libp2pHost NewHost() => new(new Libp2pHostOptions
    {
        Identity = Ed25519Identity.Generate(),
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
    });

    /// <summary>Three peers' answers in turn: garbage, the proof of another step, then the right proof.</summary>
    private sealed class SeveralPeers(WitnessHarness h) : IDirectorySource
    {
        public Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken) => h.Producer.GetHeadAsync(epoch, cancellationToken);

        public Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken) =>
            Task.FromResult(AkdProofCodec.Encode(h.Producer.GetAppendOnlyProof(fromEpoch, toEpoch)));

        public async IAsyncEnumerable<byte[]> GetAppendOnlyProofCandidatesAsync(ulong fromEpoch, ulong toEpoch, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return new byte[64];
            var other = await h.Producer.PublishAsync([], cancellationToken: cancellationToken);
            yield return AkdProofCodec.Encode(h.Producer.GetAppendOnlyProof(other.Head.Epoch - 1, other.Head.Epoch));
            yield return await GetAppendOnlyProofAsync(fromEpoch, toEpoch, cancellationToken);
        }
    }
}
