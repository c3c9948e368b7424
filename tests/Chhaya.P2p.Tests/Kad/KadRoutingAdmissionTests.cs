// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;

namespace Chhaya.P2p.Tests.Kad;

/// <summary>How peers enter a live node's routing table: identify, the liveness check on a full bucket.</summary>
public class KadRoutingAdmissionTests
{
    [Fact]
    public async Task A_full_bucket_keeps_a_live_peer_and_replaces_a_dead_one()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var x = await KadNode.StartAsync([], bucketSize: 1);

        // Three identities in the same bucket of x.
        var same = new List<Ed25519Identity>();
        while (same.Count < 3)
        {
            var id = Ed25519Identity.Generate();
            if (x.Dht.RoutingTable.BucketOf(KadId.FromPeer(id.PeerId)) == 0)
            {
                same.Add(id);
            }
            else
            {
                id.Dispose();
            }
        }

        var p1 = await KadNode.StartAsync([], identity: same[0]);
        await using var p2 = await KadNode.StartAsync([], identity: same[1]);
        await using var p3 = await KadNode.StartAsync([], identity: same[2]);

        await p1.Host.DialAsync(x.Address, cts.Token);
        await WaitAsync(() => x.Dht.RoutingTable.Find(p1.PeerId) is not null, cts.Token);

        // p1 answers its ping: p2 is turned away.
        await p2.Host.DialAsync(x.Address, cts.Token);
        await Task.Delay(1000, cts.Token);
        Assert.NotNull(x.Dht.RoutingTable.Find(p1.PeerId));
        Assert.Null(x.Dht.RoutingTable.Find(p2.PeerId));

        // p1 goes away: the next newcomer's liveness check fails and p3 takes its place.
        await p1.DisposeAsync();
        await p3.Host.DialAsync(x.Address, cts.Token);
        await WaitAsync(() => x.Dht.RoutingTable.Find(p3.PeerId) is not null, cts.Token);
        Assert.Null(x.Dht.RoutingTable.Find(p1.PeerId));
        Assert.Single(x.Dht.RoutingTable.Bucket(0));
    }

    [Fact]
    public async Task Peers_without_the_protocol_in_identify_are_not_added()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var server = await KadNode.StartAsync([]);
        await using var client = await KadNode.StartAsync([], clientMode: true);
        await using var other = await KadNode.StartAsync([]);
        var c1 = await client.Host.DialAsync(server.Address, cts.Token);
        var c2 = await other.Host.DialAsync(server.Address, cts.Token);
        await c1.Identified.WaitAsync(cts.Token);
        await c2.Identified.WaitAsync(cts.Token);
        await WaitAsync(() => server.Dht.RoutingTable.Find(other.PeerId) is not null, cts.Token);
        Assert.Null(server.Dht.RoutingTable.Find(client.PeerId));

        // The client still adds the server, whose identify lists the protocol.
        await WaitAsync(() => client.Dht.RoutingTable.Find(server.PeerId) is not null, cts.Token);
    }

    private static async Task WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100, cancellationToken);
        }

        Assert.True(condition(), "condition not reached in time");
    }
}
