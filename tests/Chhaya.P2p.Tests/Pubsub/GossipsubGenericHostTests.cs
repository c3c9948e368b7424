// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Pubsub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chhaya.P2p.Tests.Pubsub;

public class GossipsubGenericHostTests
{
    [Fact]
    public async Task The_generic_host_starts_and_stops_the_router_with_the_libp2p_host()
    {
        using var identity = Ed25519Identity.Generate();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddChhayaLibp2p(_ => new Libp2pHostOptions { Identity = identity, ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
        builder.Services.AddChhayaGossipsub(_ => identity, _ => GossipNode.Fast());
        using var app = builder.Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await app.StartAsync(cts.Token);
        var router = app.Services.GetRequiredService<GossipsubRouter>();
        var host = app.Services.GetRequiredService<Libp2pHost>();
        Assert.Contains(GossipsubRouter.Protocol12, host.Router.Protocols);

        await using var other = await GossipNode.StartAsync();
        await using var sub = await router.SubscribeAsync("di", cts.Token);
        await using var otherSub = await other.Router.SubscribeAsync("di", cts.Token);
        await other.Host.Host.DialAsync(host.ListenAddresses[0].WithPeerId(host.PeerId), cts.Token);
        await GossipNode.WaitUntilAsync(() => router.MeshPeers("di").Count == 1, "the mesh forms", cts.Token);
        await other.Router.PublishAsync("di", new byte[] { 1 }, cts.Token);
        Assert.Equal(other.Router.PeerId, (await GossipNode.NextAsync(sub, TimeSpan.FromSeconds(20))).Author);

        await app.StopAsync(cts.Token);
        Assert.DoesNotContain(GossipsubRouter.Protocol12, host.Router.Protocols);
    }
}
