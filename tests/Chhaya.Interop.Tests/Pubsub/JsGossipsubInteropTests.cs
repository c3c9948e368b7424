// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Pubsub;

namespace Chhaya.Interop.Tests.Pubsub;

/// <summary>
/// Chhaya's gossipsub router against real js-libp2p 3.3.11 with @libp2p/gossipsub 17.1.1 (StrictSign, emitSelf
/// off, no discovery) on 127.0.0.1: subscriptions, GRAFT, and signed messages both ways, in both dial directions.
/// </summary>
public class JsGossipsubInteropTests
{
    private const string Topic = "chhaya/interop/1";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Chhaya_and_js_exchange_signed_messages_on_one_topic(bool jsDials)
    {
        using var identity = Ed25519Identity.Generate();
        await using var host = new Libp2pHost(new Libp2pHostOptions
        {
            Identity = identity,
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        await using var router = new GossipsubRouter(host, identity, new GossipsubOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            HeartbeatInitialDelay = TimeSpan.FromMilliseconds(50),
        });
        router.Start();
        await host.StartAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var sub = await router.SubscribeAsync(Topic, cts.Token);

        var ourAddress = host.ListenAddresses[0].WithPeerId(host.PeerId).ToString();
        await using var js = jsDials ? JsGossipsubPeer.Start(Topic, ourAddress) : JsGossipsubPeer.Start(Topic);
        var listening = await js.WaitForAsync("listening", cts.Token);
        var jsPeer = PeerId.Parse(listening.GetProperty("peerId").GetString()!);
        if (!jsDials)
        {
            await host.DialAsync(Multiaddr.Parse(listening.GetProperty("addrs")[0].GetString()!), cts.Token);
        }

        // Each side learns the other's subscription, and the two graft each other into their meshes.
        await js.WaitForAsync("subscription", cts.Token, e => e.GetProperty("peerId").GetString() == host.PeerId.ToString()
            && e.GetProperty("subscriptions").EnumerateArray().Any(s => s.GetProperty("topic").GetString() == Topic && s.GetProperty("subscribe").GetBoolean()));
        await WaitUntilAsync(() => router.TopicPeers(Topic).Contains(jsPeer), "Chhaya sees js's subscription", cts.Token);
        for (var inJsMesh = false; !inJsMesh;)
        {
            await js.SendAsync("mesh");
            var mesh = await js.WaitForAsync("mesh", cts.Token);
            inJsMesh = mesh.GetProperty("peers").EnumerateArray().Any(p => p.GetString() == host.PeerId.ToString());
            if (!inJsMesh)
            {
                await Task.Delay(100, cts.Token);
            }
        }

        await WaitUntilAsync(() => router.MeshPeers(Topic).Contains(jsPeer), "js is in Chhaya's mesh", cts.Token);

        // Chhaya -> js: js verified our signature (StrictSign) before emitting it; we check what it reports too.
        Assert.Equal(1, await router.PublishAsync(Topic, Encoding.UTF8.GetBytes("hello from chhaya"), cts.Token));
        var atJs = await js.WaitForAsync("message", cts.Token);
        Assert.Equal("signed", atJs.GetProperty("type").GetString());
        Assert.Equal(host.PeerId.ToString(), atJs.GetProperty("from").GetString());
        Assert.Equal("hello from chhaya", Encoding.UTF8.GetString(Convert.FromHexString(atJs.GetProperty("data").GetString()!)));
        var echoed = new PubsubMessage
        {
            From = Convert.FromHexString(atJs.GetProperty("fromHex").GetString()!),
            Data = Convert.FromHexString(atJs.GetProperty("data").GetString()!),
            Seqno = Convert.FromHexString(atJs.GetProperty("seqno").GetString()!),
            Topic = Topic,
            Signature = Convert.FromHexString(atJs.GetProperty("signature").GetString()!),
        };
        Assert.Null(MessageSigning.Check(echoed, SignaturePolicy.StrictSign, out var author));
        Assert.Equal(host.PeerId, author);

        // js -> Chhaya: our router verified js's signature; the author is js's peer id.
        await js.SendAsync("publish " + Convert.ToHexString(Encoding.UTF8.GetBytes("hello from js")));
        var published = await js.WaitForAsync("published", cts.Token);
        Assert.Contains(host.PeerId.ToString(), published.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()));
        using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        readTimeout.CancelAfter(TimeSpan.FromSeconds(20));
        var got = await sub.Messages.ReadAsync(readTimeout.Token);
        Assert.Equal("hello from js", Encoding.UTF8.GetString(got.Data.Span));
        Assert.Equal(jsPeer, got.Author);
        Assert.Equal(jsPeer, got.ReceivedFrom);
        Assert.Null(MessageSigning.Check(got.Message, SignaturePolicy.StrictSign, out _));
        Assert.Equal(8, got.Message.Seqno!.Length);
        Assert.True(router.GetScore(jsPeer) >= 0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }
        }
    }
}
