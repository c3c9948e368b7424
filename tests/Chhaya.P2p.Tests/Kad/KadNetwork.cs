// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;

namespace Chhaya.P2p.Tests.Kad;

/// <summary>One DHT node on 127.0.0.1: a host, its identity and its DHT.</summary>
internal sealed class KadNode : IAsyncDisposable
{
    private KadNode(Libp2pHost host, Ed25519Identity identity, KadDht dht)
    {
        Host = host;
        Identity = identity;
        Dht = dht;
    }

    public Libp2pHost Host { get; }

    public Ed25519Identity Identity { get; }

    public KadDht Dht { get; }

    public PeerId PeerId => Host.PeerId;

    public Multiaddr Address => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

    public static async Task<KadNode> StartAsync(IList<Multiaddr> bootstrap, bool clientMode = false, int bucketSize = 20, Ed25519Identity? identity = null, TimeSpan? refreshInterval = null, TimeSpan? recordRepublishInterval = null)
    {
        identity ??= Ed25519Identity.Generate();
        var host = new Libp2pHost(new Libp2pHostOptions
        {
            Identity = identity,
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        await host.StartAsync(CancellationToken.None);
        var dht = new KadDht(host, new KadDhtOptions
        {
            BootstrapPeers = bootstrap,
            ClientMode = clientMode,
            BucketSize = bucketSize,
            LoopbackOnly = true,
            RefreshInterval = refreshInterval ?? TimeSpan.Zero,
            RecordRepublishInterval = recordRepublishInterval ?? TimeSpan.FromHours(12),
            LookupTimeout = TimeSpan.FromSeconds(20),
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        dht.Start();
        return new KadNode(host, identity, dht);
    }

    public async ValueTask DisposeAsync()
    {
        await Dht.DisposeAsync();
        await Host.DisposeAsync();
        Identity.Dispose();
    }
}

/// <summary>Twenty DHT servers on loopback, each bootstrapped from the first, shared by the network tests.</summary>
public sealed class KadNetworkFixture : IAsyncLifetime
{
    public const int Size = 20;

    internal List<KadNode> Nodes { get; } = [];

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        Nodes.Add(await KadNode.StartAsync([]));
        for (var i = 1; i < Size; i++)
        {
            Nodes.Add(await KadNode.StartAsync([Nodes[0].Address]));
        }

        foreach (var n in Nodes.Skip(1))
        {
            await n.Dht.BootstrapAsync(cts.Token);
        }

        // A second round, now that everyone is known to someone, fills the farther tables.
        await Task.WhenAll(Nodes.Select(n => n.Dht.RefreshAsync(cts.Token)));
    }

    public async Task DisposeAsync()
    {
        foreach (var n in Nodes)
        {
            await n.DisposeAsync();
        }
    }
}
