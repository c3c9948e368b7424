// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Protocols;
using Chhaya.P2p.Pubsub;
using Chhaya.P2p.Tests.Hosting;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Tests.Pubsub;

/// <summary>A hand-driven peer writes crafted RPCs at a router over a real connection.</summary>
public class GossipsubAdversarialTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private sealed class RawPeer : IAsyncDisposable
    {
        private RawPeer(TestHost host, YamuxStream stream)
        {
            Host = host;
            Stream = stream;
        }

        public TestHost Host { get; }

        public YamuxStream Stream { get; }

        /// <summary>Connects to <paramref name="victim"/>, answers its pubsub stream by draining it, and opens ours.</summary>
        public static async Task<RawPeer> ConnectAsync(GossipNode victim, CancellationToken cancellationToken)
        {
            var host = await TestHost.StartAsync();
            host.Host.Router.Register(GossipsubRouter.Protocol11, async (ctx, ct) => await ctx.Stream.CopyToAsync(System.IO.Stream.Null, ct));
            var conn = await host.Host.DialAsync(victim.Host.Address, cancellationToken);
            var s = await host.Host.OpenStreamAsync(conn, [GossipsubRouter.Protocol11], cancellationToken);
            return new RawPeer(host, s.Stream);
        }

        public Task SendAsync(PubsubRpc rpc, CancellationToken cancellationToken) => LengthPrefixed.WriteAsync(Stream, RpcCodec.Encode(rpc), cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await Stream.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Forged_signatures_are_rejected_and_penalise_the_forwarder()
    {
        await using var victim = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var sub = await victim.Router.SubscribeAsync("f", cts.Token);
        await using var raw = await RawPeer.ConnectAsync(victim, cts.Token);
        using var someoneElse = Ed25519Identity.Generate();
        await raw.SendAsync(new PubsubRpc { Subscriptions = [new SubscriptionChange(true, "f")] }, cts.Token);

        // Signed by the raw peer but claiming another author; then a wrong seqno length; then a good one.
        var forged = MessageSigning.Sign(raw.Host.Identity, "f", [1], 1);
        var claimed = new PubsubMessage { From = someoneElse.PeerId.Bytes.ToArray(), Data = forged.Data, Seqno = forged.Seqno, Topic = "f", Signature = forged.Signature };
        var shortSeq = MessageSigning.Sign(raw.Host.Identity, "f", [2], 2);
        var badSeq = new PubsubMessage { From = shortSeq.From, Data = shortSeq.Data, Seqno = [1, 2], Topic = "f", Signature = shortSeq.Signature };
        await raw.SendAsync(new PubsubRpc { Publish = [claimed, badSeq] }, cts.Token);
        await raw.SendAsync(new PubsubRpc { Publish = [MessageSigning.Sign(raw.Host.Identity, "f", [3], 3)] }, cts.Token);

        var got = await GossipNode.NextAsync(sub, Timeout);
        Assert.Equal(new byte[] { 3 }, got.Data.ToArray());
        Assert.Equal(raw.Host.Host.PeerId, got.Author);
        Assert.False(sub.Messages.TryRead(out _));

        // Two invalid messages: P4 = -10 * 2^2 = -40 plus a little for one first delivery.
        var score = victim.Router.GetScore(raw.Host.Host.PeerId);
        Assert.InRange(score, -40, -38);
        Assert.True(victim.Logs.Has(6105));
    }

    [Fact]
    public async Task A_malformed_rpc_closes_the_stream_and_costs_a_penalty()
    {
        await using var victim = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var raw = await RawPeer.ConnectAsync(victim, cts.Token);
        await LengthPrefixed.WriteAsync(raw.Stream, new byte[] { 0x0B, 0x00 }, cts.Token);

        var buffer = new byte[16];
        Assert.Equal(0, await raw.Stream.ReadAsync(buffer, cts.Token));
        await GossipNode.WaitUntilAsync(() => victim.Logs.Has(6104), "the malformed RPC is logged", cts.Token);
    }

    [Fact]
    public async Task An_oversized_frame_is_refused_before_its_body_is_read()
    {
        await using var victim = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var raw = await RawPeer.ConnectAsync(victim, cts.Token);
        var prefix = new byte[Varint.MaxLength];
        var n = Varint.Write(64UL << 20, prefix);
        await raw.Stream.WriteAsync(prefix.AsMemory(0, n), cts.Token);
        await raw.Stream.FlushAsync(cts.Token);

        var buffer = new byte[16];
        Assert.Equal(0, await raw.Stream.ReadAsync(buffer, cts.Token));
        Assert.Contains(victim.Logs.Events, e => e.EventId == 6104 && e.Message.Contains("over the limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inbound_rpcs_over_the_rate_limit_are_dropped()
    {
        await using var victim = await GossipNode.StartAsync(new GossipsubOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            MaxInboundRpcsPerSecond = 1,
            InboundRpcBurst = 3,
        });
        using var cts = new CancellationTokenSource(Timeout);
        await using var raw = await RawPeer.ConnectAsync(victim, cts.Token);
        for (var i = 0; i < 20; i++)
        {
            await raw.SendAsync(new PubsubRpc { Subscriptions = [new SubscriptionChange(true, "topic-" + i)] }, cts.Token);
        }

        await GossipNode.WaitUntilAsync(() => victim.Logs.Has(6109), "the rate limit drops RPCs", cts.Token);

        // Only the burst got through: the peer is known in a handful of topics, not twenty.
        var known = Enumerable.Range(0, 20).Count(i => victim.Router.TopicPeers("topic-" + i).Count > 0);
        Assert.InRange(known, 3, 15);
    }

    [Fact]
    public async Task Graft_for_an_unknown_topic_is_answered_with_prune_and_during_backoff_is_penalised()
    {
        await using var victim = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var sub = await victim.Router.SubscribeAsync("g", cts.Token);
        await using var raw = await RawPeer.ConnectAsync(victim, cts.Token);
        var id = raw.Host.Host.PeerId;
        await raw.SendAsync(new PubsubRpc { Subscriptions = [new SubscriptionChange(true, "g")], Control = new ControlMessage { Graft = [new ControlGraft("g")] } }, cts.Token);
        await GossipNode.WaitUntilAsync(() => victim.Router.MeshPeers("g").Contains(id), "the GRAFT is accepted", cts.Token);

        // PRUNE ourselves, then GRAFT again at once: a GRAFT flood during back-off.
        await raw.SendAsync(new PubsubRpc { Control = new ControlMessage { Prune = [new ControlPrune("g", [], 60)] } }, cts.Token);
        await GossipNode.WaitUntilAsync(() => !victim.Router.MeshPeers("g").Contains(id), "the PRUNE is applied", cts.Token);
        for (var i = 0; i < 3; i++)
        {
            await raw.SendAsync(new PubsubRpc { Control = new ControlMessage { Graft = [new ControlGraft("g")] } }, cts.Token);
        }

        // 3 GRAFTs within the flood threshold count 2 each: penalty 6, over the threshold 2 by 4: -10 * 16.
        await GossipNode.WaitUntilAsync(() => victim.Router.GetScore(id) < -100, "the GRAFT flood is penalised", cts.Token);
        Assert.DoesNotContain(id, victim.Router.MeshPeers("g"));
    }
}
