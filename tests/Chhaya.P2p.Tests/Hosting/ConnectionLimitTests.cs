// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;

namespace Chhaya.P2p.Tests.Hosting;

public class ConnectionLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_connection_beyond_the_per_peer_limit_is_closed()
    {
        await using var a = await TestHost.StartAsync(id => new Libp2pHostOptions
        {
            Identity = id,
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
            MaxConnectionsPerPeer = 1,
        });
        await using var b = await TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);

        // Without /p2p the dial does not reuse the connection, so the second one trips the limit.
        await a.Host.DialAsync(b.Host.ListenAddresses[0], cts.Token);
        await Assert.ThrowsAsync<IOException>(() => a.Host.DialAsync(b.Host.ListenAddresses[0], cts.Token));
        Assert.Single(a.Host.Connections);
    }

    [Fact]
    public async Task Idle_connections_over_the_high_water_mark_are_trimmed_oldest_first()
    {
        await using var hub = await TestHost.StartAsync(id => new Libp2pHostOptions
        {
            Identity = id,
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
            HighWater = 2,
            LowWater = 1,
            IdentifyOnConnect = false,
        });
        using var cts = new CancellationTokenSource(Timeout);
        var peers = new List<TestHost>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var p = await TestHost.StartAsync(id => new Libp2pHostOptions { Identity = id, IdentifyOnConnect = false });
                peers.Add(p);
                await p.Host.DialAsync(hub.Address, cts.Token);
                await TwoHostTests.WaitForAsync(() => hub.Host.Connections.Count == Math.Min(i + 1, 3) || hub.Logs.Has(6011) ? "ok" : null, cts.Token);
            }

            // The third connection took the hub over 2: it trimmed down to 1, keeping the newest.
            await TwoHostTests.WaitForAsync(() => hub.Host.Connections.Count == 1 ? "trimmed" : null, cts.Token);
            Assert.True(hub.Logs.Has(6011));
            Assert.Equal(peers[2].Host.PeerId, hub.Host.Connections.Single().RemotePeer);
        }
        finally
        {
            foreach (var p in peers)
            {
                await p.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Inbound_connections_over_the_total_limit_are_refused()
    {
        await using var hub = await TestHost.StartAsync(id => new Libp2pHostOptions
        {
            Identity = id,
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
            MaxConnections = 1,
        });
        await using var first = await TestHost.StartAsync();
        await using var second = await TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await first.Host.DialAsync(hub.Address, cts.Token);
        await TwoHostTests.WaitForAsync(() => hub.Host.Connections.Count == 1 ? "one" : null, cts.Token);
        await Assert.ThrowsAnyAsync<Exception>(() => second.Host.DialAsync(hub.Address, cts.Token));
        Assert.True(hub.Logs.Has(6007));
    }
}
