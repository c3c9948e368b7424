// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Pubsub;

namespace Chhaya.P2p.Tests.Pubsub;

/// <summary>Thirty routers on loopback in a sparse topology: every published message reaches all 29 others.</summary>
public class GossipsubNetworkTests
{
    private const int Nodes = 30;
    private const string Topic = "chhaya/net/1";

    [Fact]
    public async Task Thirty_nodes_in_a_sparse_topology_deliver_each_message_to_all_others()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var nodes = new List<GossipNode>();
        var subs = new List<GossipsubSubscription>();
        try
        {
            for (var i = 0; i < Nodes; i++)
            {
                var n = await GossipNode.StartAsync(new GossipsubOptions
                {
                    HeartbeatInterval = TimeSpan.FromMilliseconds(200),
                    HeartbeatInitialDelay = TimeSpan.FromMilliseconds(20),

                    // Mesh forwarding only for our own messages too, so delivery relies on the mesh and gossip.
                    FloodPublish = false,
                });
                nodes.Add(n);
                subs.Add(await n.Router.SubscribeAsync(Topic, cts.Token));
            }

            // A ring with chords at distance 7: each node has 4 neighbours, the diameter is about 5 hops.
            var dials = new List<Task>();
            for (var i = 0; i < Nodes; i++)
            {
                dials.Add(nodes[i].ConnectAsync(nodes[(i + 1) % Nodes], cts.Token));
                dials.Add(nodes[i].ConnectAsync(nodes[(i + 7) % Nodes], cts.Token));
            }

            await Task.WhenAll(dials);
            await GossipNode.WaitUntilAsync(() => nodes.All(n => n.Router.MeshPeers(Topic).Count >= 3), "every mesh has at least 3 peers", cts.Token);

            foreach (var origin in new[] { 0, 17 })
            {
                var payload = new byte[] { (byte)origin, 1, 2, 3 };
                await nodes[origin].Router.PublishAsync(Topic, payload, cts.Token);
                for (var i = 0; i < Nodes; i++)
                {
                    if (i == origin)
                    {
                        continue;
                    }

                    var m = await GossipNode.NextAsync(subs[i], TimeSpan.FromSeconds(15));
                    Assert.Equal(payload, m.Data.ToArray());
                    Assert.Equal(nodes[origin].Router.PeerId, m.Author);
                }
            }

            // Each node delivered each message once: no duplicates reached the subscriptions.
            await Task.Delay(300, cts.Token);
            Assert.All(subs, s => Assert.False(s.Messages.TryRead(out _)));
        }
        finally
        {
            foreach (var s in subs)
            {
                await s.DisposeAsync();
            }

            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }
}
