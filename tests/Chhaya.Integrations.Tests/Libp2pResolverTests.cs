// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Quorum;
using Chhaya.Witness.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Integrations.Tests;

/// <summary>The resolver fetching over <c>/chhaya/vkd/lookup/1.0.0</c> between two real libp2p hosts on 127.0.0.1.</summary>
public sealed class Libp2pResolverTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private ResolverHarness _harness = null!;
    private Libp2pHost _server = null!;
    private Libp2pHost _client = null!;
    private LookupProtocolServer _protocol = null!;
    private Libp2pConnection _connection = null!;
    private bool _withCertificate = true;

    public async Task InitializeAsync()
    {
        _harness = await ResolverHarness.CreateAsync();
        _server = NewHost();
        _client = NewHost();
        _protocol = new LookupProtocolServer(
            [(ResolverHarness.DirectoryId, _harness.Producer)],
            (_, epoch, _) => Task.FromResult(_withCertificate && epoch == _harness.Producer.LatestHead.Head.Epoch
                ? QuorumCertificate.Decode(_harness.Certify(_harness.Producer.LatestHead))
                : null),
            NullLogger<LookupProtocolServer>.Instance);
        _protocol.Register(_server.Router);
        await _server.StartAsync(_timeout.Token);
        await _client.StartAsync(_timeout.Token);
        _connection = await _client.DialAsync(_server.ListenAddresses[0].WithPeerId(_server.PeerId), _timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        _harness.Dispose();
    }

    public void Dispose()
    {
        _protocol.Dispose();
        _timeout.Dispose();
    }

    private static Libp2pHost NewHost() => new(new Libp2pHostOptions
    {
        Identity = Ed25519Identity.Generate(),
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
    });

    [Fact]
    public async Task A_binding_fetched_over_libp2p_is_verified_and_pinned()
    {
        var alice = ResolverHarness.NewBinding();
        await _harness.PublishAsync("alice", alice);
        var pins = new InMemoryPinStore();
        using var resolver = new HandshakeResolver(
            _harness.Verifier(), new Libp2pLookupSource(_client, _connection, ResolverHarness.DirectoryId), pins, NullLogger<HandshakeResolver>.Instance);

        var outcome = await resolver.ResolveAsync("alice", _timeout.Token);

        Assert.Equal(ResolveStatus.Pinned, outcome.Status);
        Assert.True(outcome.Binding!.SameIdentityAs(alice));
        Assert.True(await resolver.CanSendAsync("alice", _timeout.Token));
        Assert.Equal(ResolveStatus.NotFound, (await resolver.ResolveAsync("carol", _timeout.Token)).Status);

        // A directory peer with no certificate for its latest head cannot get a new key trusted.
        await _harness.PublishAsync("alice", ResolverHarness.NewBinding());
        _withCertificate = false;
        var uncertified = await resolver.ResolveAsync("alice", _timeout.Token);
        Assert.Equal(ResolveStatus.Rejected, uncertified.Status);
        Assert.Equal(Chhaya.Directory.LookupVerdict.NotCertified, uncertified.Verdict);
        Assert.True((await pins.GetAsync("alice", _timeout.Token))!.Binding.SameIdentityAs(alice));
    }
}
