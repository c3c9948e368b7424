// SPDX-License-Identifier: AGPL-3.0-or-later
using Text = System.Text;
using Chhaya.P2p.Pubsub;

namespace Chhaya.P2p.Tests.Pubsub;

public class GossipsubRouterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Two_nodes_form_a_mesh_and_exchange_signed_messages_both_ways()
    {
        await using var a = await GossipNode.StartAsync();
        await using var b = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);

        // A subscribes before the connection, B after: both announcement paths are used.
        await using var subA = await a.Router.SubscribeAsync("chhaya/test/1", cts.Token);
        await a.ConnectAsync(b, cts.Token);
        await using var subB = await b.Router.SubscribeAsync("chhaya/test/1", cts.Token);
        await GossipNode.WaitUntilAsync(() => a.Router.MeshPeers("chhaya/test/1").Contains(b.Router.PeerId) && b.Router.MeshPeers("chhaya/test/1").Contains(a.Router.PeerId), "the mesh forms", cts.Token);

        Assert.Equal(1, await a.Router.PublishAsync("chhaya/test/1", Text.Encoding.UTF8.GetBytes("from a"), cts.Token));
        var got = await GossipNode.NextAsync(subB, Timeout);
        Assert.Equal("from a", Text.Encoding.UTF8.GetString(got.Data.Span));
        Assert.Equal(a.Router.PeerId, got.Author);
        Assert.Equal(a.Router.PeerId, got.ReceivedFrom);
        Assert.Null(MessageSigning.Check(got.Message, SignaturePolicy.StrictSign, out _));
        Assert.Equal(8, got.Message.Seqno!.Length);

        await b.Router.PublishAsync("chhaya/test/1", Text.Encoding.UTF8.GetBytes("from b"), cts.Token);
        Assert.Equal("from b", Text.Encoding.UTF8.GetString((await GossipNode.NextAsync(subA, Timeout)).Data.Span));

        // Nobody receives their own message back (no emitSelf), and the score of a good peer is not negative.
        Assert.False(subA.Messages.TryRead(out _));
        Assert.True(a.Router.GetScore(b.Router.PeerId) >= 0);

        // Leaving the topic prunes B from A's mesh on both sides.
        await subA.DisposeAsync();
        await GossipNode.WaitUntilAsync(() => b.Router.MeshPeers("chhaya/test/1").Count == 0 && !b.Router.TopicPeers("chhaya/test/1").Contains(a.Router.PeerId), "A leaves", cts.Token);
    }

    [Fact]
    public async Task Messages_travel_across_a_line_of_nodes_and_duplicates_are_dropped()
    {
        var nodes = new List<GossipNode>();
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            for (var i = 0; i < 5; i++)
            {
                nodes.Add(await GossipNode.StartAsync());
            }

            var subs = new List<GossipsubSubscription>();
            foreach (var n in nodes)
            {
                subs.Add(await n.Router.SubscribeAsync("line", cts.Token));
            }

            // A line plus one chord, so some nodes get a message twice.
            for (var i = 0; i + 1 < nodes.Count; i++)
            {
                await nodes[i].ConnectAsync(nodes[i + 1], cts.Token);
            }

            await nodes[0].ConnectAsync(nodes[2], cts.Token);
            await GossipNode.WaitUntilAsync(() => nodes.All(n => n.Router.MeshPeers("line").Count >= 1) && nodes[4].Router.MeshPeers("line").Count == 1 && nodes[3].Router.MeshPeers("line").Count == 2, "meshes form", cts.Token);

            await nodes[0].Router.PublishAsync("line", new byte[] { 1, 2, 3 }, cts.Token);
            for (var i = 1; i < nodes.Count; i++)
            {
                var m = await GossipNode.NextAsync(subs[i], Timeout);
                Assert.Equal(new byte[] { 1, 2, 3 }, m.Data.ToArray());
                Assert.Equal(nodes[0].Router.PeerId, m.Author);
            }

            await Task.Delay(300, cts.Token);
            Assert.All(subs.Skip(1), s => Assert.False(s.Messages.TryRead(out _)));
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_rejecting_validator_stops_propagation_and_penalises_the_sender()
    {
        await using var a = await GossipNode.StartAsync();
        await using var b = await GossipNode.StartAsync();
        await using var c = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var validated = 0;
        b.Router.RegisterValidator("v", async (m, ct) =>
        {
            Interlocked.Increment(ref validated);
            await Task.Yield();
            return m.Data.Span.StartsWith("bad"u8) ? ValidationResult.Reject : m.Data.Span.StartsWith("meh"u8) ? ValidationResult.Ignore : ValidationResult.Accept;
        });
        await using var subA = await a.Router.SubscribeAsync("v", cts.Token);
        await using var subB = await b.Router.SubscribeAsync("v", cts.Token);
        await using var subC = await c.Router.SubscribeAsync("v", cts.Token);
        await a.ConnectAsync(b, cts.Token);
        await b.ConnectAsync(c, cts.Token);
        await GossipNode.WaitUntilAsync(() => b.Router.MeshPeers("v").Count == 2, "B meshes with A and C", cts.Token);

        await a.Router.PublishAsync("v", "bad one"u8.ToArray(), cts.Token);
        await a.Router.PublishAsync("v", "meh one"u8.ToArray(), cts.Token);
        await a.Router.PublishAsync("v", "good one"u8.ToArray(), cts.Token);

        // C sees only the accepted message; B delivered only it too.
        Assert.Equal("good one", Text.Encoding.UTF8.GetString((await GossipNode.NextAsync(subC, Timeout)).Data.Span));
        Assert.Equal("good one", Text.Encoding.UTF8.GetString((await GossipNode.NextAsync(subB, Timeout)).Data.Span));
        Assert.Equal(3, Volatile.Read(ref validated));
        await Task.Delay(300, cts.Token);
        Assert.False(subC.Messages.TryRead(out _));

        // One invalid message: P4 = -10 * 1^2, more than the positive contributions of one good message.
        Assert.True(b.Router.GetScore(a.Router.PeerId) < 0, $"score {b.Router.GetScore(a.Router.PeerId)}");
        Assert.True(b.Router.GetScore(c.Router.PeerId) >= 0);
        Assert.True(b.Logs.Has(6105));
    }

    [Fact]
    public async Task A_spammer_of_invalid_messages_is_scored_down_pruned_and_graylisted()
    {
        await using var victim = await GossipNode.StartAsync();
        await using var spammer = await GossipNode.StartAsync();
        await using var honest = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        victim.Router.RegisterValidator("s", (m, _) => ValueTask.FromResult(m.Data.Span.StartsWith("spam"u8) ? ValidationResult.Reject : ValidationResult.Accept));
        await using var subV = await victim.Router.SubscribeAsync("s", cts.Token);
        await using var subS = await spammer.Router.SubscribeAsync("s", cts.Token);
        await using var subH = await honest.Router.SubscribeAsync("s", cts.Token);
        await spammer.ConnectAsync(victim, cts.Token);
        await honest.ConnectAsync(victim, cts.Token);
        await GossipNode.WaitUntilAsync(() => victim.Router.MeshPeers("s").Count == 2, "victim meshes with both", cts.Token);

        for (var i = 0; i < 10; i++)
        {
            await spammer.Router.PublishAsync("s", Text.Encoding.UTF8.GetBytes("spam " + i), cts.Token);
        }

        var spammerId = spammer.Router.PeerId;
        await GossipNode.WaitUntilAsync(() => victim.Router.GetScore(spammerId) < -80, "the spammer is graylisted", cts.Token);
        await GossipNode.WaitUntilAsync(() => !victim.Router.MeshPeers("s").Contains(spammerId), "the spammer is pruned", cts.Token);

        // Graylisted: even a valid message from the spammer is ignored, while the honest peer still gets through.
        await spammer.Router.PublishAsync("s", "valid but graylisted"u8.ToArray(), cts.Token);
        await GossipNode.WaitUntilAsync(() => victim.Logs.Has(6106), "the graylisted RPC is logged", cts.Token);
        await honest.Router.PublishAsync("s", "honest"u8.ToArray(), cts.Token);
        Assert.Equal("honest", Text.Encoding.UTF8.GetString((await GossipNode.NextAsync(subV, Timeout)).Data.Span));
        Assert.False(subV.Messages.TryRead(out _));
        Assert.Contains(honest.Router.PeerId, victim.Router.MeshPeers("s"));

        // The spammer's own GRAFT attempts are refused while it is negative; it stays out of the mesh.
        await Task.Delay(400, cts.Token);
        Assert.DoesNotContain(spammerId, victim.Router.MeshPeers("s"));
    }

    [Fact]
    public async Task StrictNoSign_topics_carry_no_author_and_reject_signed_or_mismatched_messages()
    {
        var noSign = GossipNode.Fast(p => p["anon"] = SignaturePolicy.StrictNoSign);
        await using var a = await GossipNode.StartAsync(noSign);
        await using var b = await GossipNode.StartAsync(GossipNode.Fast(p => p["anon"] = SignaturePolicy.StrictNoSign));
        await using var strict = await GossipNode.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var subA = await a.Router.SubscribeAsync("anon", cts.Token);
        await using var subB = await b.Router.SubscribeAsync("anon", cts.Token);
        await using var subS = await strict.Router.SubscribeAsync("anon", cts.Token);
        await a.ConnectAsync(b, cts.Token);
        await a.ConnectAsync(strict, cts.Token);
        await GossipNode.WaitUntilAsync(() => a.Router.MeshPeers("anon").Count == 2, "A meshes with both", cts.Token);

        await a.Router.PublishAsync("anon", "no author"u8.ToArray(), cts.Token);
        var got = await GossipNode.NextAsync(subB, Timeout);
        Assert.Null(got.Author);
        Assert.Null(got.Message.From);
        Assert.Null(got.Message.Seqno);
        Assert.Null(got.Message.Signature);
        Assert.Equal(MessageSigning.ContentMessageId(got.Message), got.Id);

        // The StrictSign node rejects the unsigned message and penalises A for it.
        await GossipNode.WaitUntilAsync(() => strict.Router.GetScore(a.Router.PeerId) < 0, "the strict node penalises A", cts.Token);
        Assert.False(subS.Messages.TryRead(out _));

        // Publishing the same content twice under StrictNoSign is a duplicate.
        await Assert.ThrowsAsync<InvalidOperationException>(() => a.Router.PublishAsync("anon", "no author"u8.ToArray(), cts.Token));
    }

    [Fact]
    public async Task A_router_started_after_the_connection_still_joins_the_mesh()
    {
        await using var a = await GossipNode.StartAsync();
        await using var lateHost = await Chhaya.P2p.Tests.Hosting.TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await lateHost.Host.DialAsync(a.Host.Address, cts.Token);
        await using var subA = await a.Router.SubscribeAsync("late", cts.Token);
        await Task.Delay(300, cts.Token);

        // A already tried and found no pubsub protocol on this connection; B now starts its router.
        await using var late = new GossipsubRouter(lateHost.Host, lateHost.Identity, GossipNode.Fast());
        late.Start();
        await using var subB = await late.SubscribeAsync("late", cts.Token);
        await GossipNode.WaitUntilAsync(() => a.Router.MeshPeers("late").Contains(late.PeerId) && late.MeshPeers("late").Contains(a.Router.PeerId), "the mesh forms", cts.Token);
        await a.Router.PublishAsync("late", new byte[] { 9 }, cts.Token);
        Assert.Equal(new byte[] { 9 }, (await GossipNode.NextAsync(subB, Timeout)).Data.ToArray());
        await late.PublishAsync("late", new byte[] { 8 }, cts.Token);
        Assert.Equal(new byte[] { 8 }, (await GossipNode.NextAsync(subA, Timeout)).Data.ToArray());
    }
}
