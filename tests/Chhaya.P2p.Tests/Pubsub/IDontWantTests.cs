// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Threading.Channels;
using Chhaya.P2p.Protocols;
using Chhaya.P2p.Pubsub;
using Chhaya.P2p.Tests.Hosting;

namespace Chhaya.P2p.Tests.Pubsub;

/// <summary>v1.2 IDONTWANT, observed by a hand-driven <c>/meshsub/1.2.0</c> peer in a router's mesh.</summary>
public class IDontWantTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Large_messages_trigger_idontwant_and_idontwant_suppresses_forwarding()
    {
        // Entries live 50 heartbeats (5 s here), long enough for this test's ordering across two connections.
        await using var victim = await GossipNode.StartAsync(new GossipsubOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            IDontWantTtlHeartbeats = 50,
        });
        await using var publisher = await GossipNode.StartAsync();
        await using var raw = await TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var inbox = Channel.CreateUnbounded<PubsubRpc>();
        raw.Host.Router.Register(GossipsubRouter.Protocol12, async (ctx, ct) =>
        {
            while (true)
            {
                inbox.Writer.TryWrite(RpcCodec.Decode(await LengthPrefixed.ReadAsync(ctx.Stream, 1 << 20, ct)));
            }
        });

        await using var subV = await victim.Router.SubscribeAsync("big", cts.Token);
        await using var subP = await publisher.Router.SubscribeAsync("big", cts.Token);
        await publisher.ConnectAsync(victim, cts.Token);
        var conn = await raw.Host.DialAsync(victim.Host.Address, cts.Token);
        await using var ours = await raw.Host.OpenStreamAsync(conn, [GossipsubRouter.Protocol12], cts.Token);
        await LengthPrefixed.WriteAsync(ours.Stream, RpcCodec.Encode(new PubsubRpc
        {
            Subscriptions = [new SubscriptionChange(true, "big")],
            Control = new ControlMessage { Graft = [new ControlGraft("big")] },
        }), cts.Token);
        await GossipNode.WaitUntilAsync(() => victim.Router.MeshPeers("big").Count == 2, "the victim meshes with both", cts.Token);

        // A 2 KiB message: the victim announces IDONTWANT to its mesh (not to the sender), then forwards it.
        await publisher.Router.PublishAsync("big", new byte[2048], cts.Token);
        var first = await NextAsync(inbox, r => r.Publish.Count > 0 || r.Control?.IDontWant.Count > 0, cts.Token);
        var idontwant = first.Control!.IDontWant.Single().MessageIds.Single();
        var forwarded = (await NextAsync(inbox, r => r.Publish.Count > 0, cts.Token)).Publish.Single();
        Assert.Equal(MessageSigning.DefaultMessageId(forwarded), idontwant);

        // We say we do not want the publisher's next message (seqno + 1): the victim skips us for it only.
        var seqno = BinaryPrimitives.ReadUInt64BigEndian(forwarded.Seqno);
        var nextId = new byte[forwarded.From!.Length + 8];
        forwarded.From.CopyTo(nextId, 0);
        BinaryPrimitives.WriteUInt64BigEndian(nextId.AsSpan(forwarded.From.Length), seqno + 1);
        await LengthPrefixed.WriteAsync(ours.Stream, RpcCodec.Encode(new PubsubRpc { Control = new ControlMessage { IDontWant = [new ControlIDontWant([nextId])] } }), cts.Token);
        await Task.Delay(200, cts.Token);

        await publisher.Router.PublishAsync("big", "skipped"u8.ToArray(), cts.Token);
        await publisher.Router.PublishAsync("big", "delivered"u8.ToArray(), cts.Token);
        var next = (await NextAsync(inbox, r => r.Publish.Count > 0, cts.Token)).Publish.Single();
        Assert.Equal("delivered"u8.ToArray(), next.Data);

        // The victim itself still delivered all three.
        for (var i = 0; i < 3; i++)
        {
            await GossipNode.NextAsync(subV, Timeout);
        }
    }

    private static async Task<PubsubRpc> NextAsync(Channel<PubsubRpc> inbox, Func<PubsubRpc, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            var rpc = await inbox.Reader.ReadAsync(cancellationToken);
            if (match(rpc))
            {
                return rpc;
            }
        }
    }
}
