// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Threading.Channels;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Protocols;
using Chhaya.P2p.Pubsub;
using Chhaya.P2p.Tests.Hosting;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Tests.Pubsub;

/// <summary>Older protocol versions (floodsub, meshsub 1.0) and v1.1 peer exchange, seen by a hand-driven peer.</summary>
public class ProtocolFallbackTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private sealed class Peer : IAsyncDisposable
    {
        private Peer(TestHost host, YamuxStream stream, Channel<PubsubRpc> inbox)
        {
            Host = host;
            Stream = stream;
            Inbox = inbox;
        }

        public TestHost Host { get; }

        public YamuxStream Stream { get; }

        public Channel<PubsubRpc> Inbox { get; }

        /// <summary>A peer that speaks only <paramref name="protocol"/>, records what it receives, and has its own stream open.</summary>
        public static async Task<Peer> ConnectAsync(GossipNode target, string protocol, CancellationToken cancellationToken)
        {
            var host = await TestHost.StartAsync();
            var inbox = Channel.CreateUnbounded<PubsubRpc>();
            host.Host.Router.Register(protocol, async (ctx, ct) =>
            {
                while (true)
                {
                    inbox.Writer.TryWrite(RpcCodec.Decode(await LengthPrefixed.ReadAsync(ctx.Stream, 1 << 20, ct)));
                }
            });
            var conn = await host.Host.DialAsync(target.Host.Address, cancellationToken);
            var s = await host.Host.OpenStreamAsync(conn, [protocol], cancellationToken);
            return new Peer(host, s.Stream, inbox);
        }

        public Task SendAsync(PubsubRpc rpc, CancellationToken cancellationToken) => LengthPrefixed.WriteAsync(Stream, RpcCodec.Encode(rpc), cancellationToken);

        public async Task<PubsubRpc> NextAsync(Func<PubsubRpc, bool> match, CancellationToken cancellationToken)
        {
            while (true)
            {
                var rpc = await Inbox.Reader.ReadAsync(cancellationToken);
                if (match(rpc))
                {
                    return rpc;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Stream.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_floodsub_peer_gets_every_message_of_its_topics_and_no_control()
    {
        await using var router = await GossipNode.StartAsync();
        await using var publisher = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var sub = await router.Router.SubscribeAsync("fl", cts.Token);
        await using var pubSub = await publisher.Router.SubscribeAsync("fl", cts.Token);
        await publisher.ConnectAsync(router, cts.Token);
        await using var flood = await Peer.ConnectAsync(router, GossipsubRouter.FloodsubProtocol, cts.Token);
        await flood.SendAsync(new PubsubRpc { Subscriptions = [new SubscriptionChange(true, "fl")] }, cts.Token);
        await GossipNode.WaitUntilAsync(() => router.Router.TopicPeers("fl").Count == 2 && router.Router.MeshPeers("fl").Count == 1, "the router knows both", cts.Token);

        // Floodsub peers never enter the mesh, but relayed messages reach them.
        await publisher.Router.PublishAsync("fl", new byte[] { 4, 2 }, cts.Token);
        var got = await flood.NextAsync(r => r.Publish.Count > 0, cts.Token);
        Assert.Equal(new byte[] { 4, 2 }, got.Publish[0].Data);
        Assert.DoesNotContain(flood.Host.Host.PeerId, router.Router.MeshPeers("fl"));

        // A message from the floodsub peer is accepted and relayed into the mesh.
        await flood.SendAsync(new PubsubRpc { Publish = [MessageSigning.Sign(flood.Host.Identity, "fl", [7], 1)] }, cts.Token);
        Assert.Equal(new byte[] { 7 }, (await GossipNode.NextAsync(pubSub, Timeout)).Data.ToArray());
        await Task.Delay(500, cts.Token);
        while (flood.Inbox.Reader.TryRead(out var rpc))
        {
            Assert.True(rpc.Control is null || rpc.Control.IsEmpty, "a floodsub peer received control messages");
        }
    }

    [Fact]
    public async Task A_meshsub_1_0_peer_gets_prunes_without_backoff_or_peer_exchange()
    {
        await using var router = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var old = await Peer.ConnectAsync(router, GossipsubRouter.Protocol10, cts.Token);
        await old.SendAsync(new PubsubRpc { Control = new ControlMessage { Graft = [new ControlGraft("nobody-here")] } }, cts.Token);
        var prune = (await old.NextAsync(r => r.Control?.Prune.Count > 0, cts.Token)).Control!.Prune.Single();
        Assert.Equal("nobody-here", prune.Topic);
        Assert.Null(prune.BackoffSeconds);
        Assert.Empty(prune.Peers);
    }

    [Fact]
    public async Task Peer_exchange_is_used_only_from_peers_scoring_above_the_accept_threshold()
    {
        await using var router = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var sub = await router.Router.SubscribeAsync("px", cts.Token);
        await using var good = await Peer.ConnectAsync(router, GossipsubRouter.Protocol11, cts.Token);
        await using var fresh = await Peer.ConnectAsync(router, GossipsubRouter.Protocol11, cts.Token);
        var offered = new List<PeerExchangeEventArgs>();
        router.Router.PeerExchangeReceived += (_, e) =>
        {
            lock (offered)
            {
                offered.Add(e);
            }
        };

        // The good peer first delivers 12 valid messages: P2 = 12, above AcceptPXThreshold (10).
        await good.SendAsync(new PubsubRpc
        {
            Subscriptions = [new SubscriptionChange(true, "px")],
            Control = new ControlMessage { Graft = [new ControlGraft("px")] },
        }, cts.Token);
        await fresh.SendAsync(new PubsubRpc { Subscriptions = [new SubscriptionChange(true, "px")], Control = new ControlMessage { Graft = [new ControlGraft("px")] } }, cts.Token);
        for (ulong i = 1; i <= 12; i++)
        {
            await good.SendAsync(new PubsubRpc { Publish = [MessageSigning.Sign(good.Host.Identity, "px", [(byte)i], i)] }, cts.Token);
        }

        for (var i = 0; i < 12; i++)
        {
            await GossipNode.NextAsync(sub, Timeout);
        }

        Assert.True(router.Router.GetScore(good.Host.Host.PeerId) >= 10);
        using var p1 = Ed25519Identity.Generate();
        using var p2 = Ed25519Identity.Generate();
        var px = new List<PeerExchangeInfo> { new(p1.PeerId.Bytes.ToArray(), null), new([0xFF, 0x00], null) };
        await fresh.SendAsync(new PubsubRpc { Control = new ControlMessage { Prune = [new ControlPrune("px", [new(p2.PeerId.Bytes.ToArray(), null)], 30)] } }, cts.Token);
        await good.SendAsync(new PubsubRpc { Control = new ControlMessage { Prune = [new ControlPrune("px", px, 30)] } }, cts.Token);

        await GossipNode.WaitUntilAsync(() => { lock (offered) { return offered.Count > 0; } }, "the good peer's PX is raised", cts.Token);
        await Task.Delay(200, cts.Token);
        lock (offered)
        {
            // Only the good peer's PX, and only its well-formed entry.
            var e = Assert.Single(offered);
            Assert.Equal(good.Host.Host.PeerId, e.From);
            Assert.Equal("px", e.Topic);
            Assert.Equal([p1.PeerId], e.Peers);
        }

        Assert.DoesNotContain(good.Host.Host.PeerId, router.Router.MeshPeers("px"));
        Assert.DoesNotContain(fresh.Host.Host.PeerId, router.Router.MeshPeers("px"));
    }
}
