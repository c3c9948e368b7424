// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chhaya.P2p.Tests.Kad;

public class KadGenericHostTests
{
    [Fact]
    public async Task The_generic_host_starts_bootstraps_and_stops_the_dht()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var seed = await KadNode.StartAsync([]);
        using var identity = Ed25519Identity.Generate();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddChhayaLibp2p(_ => new Libp2pHostOptions { Identity = identity, ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
        builder.Services.AddChhayaKad(_ => new KadDhtOptions { BootstrapPeers = [seed.Address], LoopbackOnly = true, RefreshInterval = TimeSpan.Zero });
        using var app = builder.Build();
        await app.StartAsync(cts.Token);
        var dht = app.Services.GetRequiredService<KadDht>();
        var host = app.Services.GetRequiredService<Libp2pHost>();
        Assert.Contains(KadDhtOptions.DefaultProtocolId, host.Router.Protocols);
        for (var i = 0; i < 100 && dht.RoutingTable.Find(seed.PeerId) is null; i++)
        {
            await Task.Delay(100, cts.Token);
        }

        Assert.NotNull(dht.RoutingTable.Find(seed.PeerId));
        await app.StopAsync(cts.Token);
        Assert.DoesNotContain(KadDhtOptions.DefaultProtocolId, host.Router.Protocols);
    }
}
