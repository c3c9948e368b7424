// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chhaya.P2p.Tests.Hosting;

public class GenericHostTests
{
    [Fact]
    public async Task The_generic_host_starts_and_stops_the_libp2p_host()
    {
        using var identity = Ed25519Identity.Generate();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddChhayaLibp2p(_ => new Libp2pHostOptions
        {
            Identity = identity,
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        });
        using var app = builder.Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await app.StartAsync(cts.Token);
        var host = app.Services.GetRequiredService<Libp2pHost>();
        Assert.Single(host.ListenAddresses);

        await using var other = await TestHost.StartAsync();
        var conn = await other.Host.DialAsync(host.ListenAddresses[0].WithPeerId(host.PeerId), cts.Token);
        await other.Host.PingAsync(conn, cts.Token);

        await app.StopAsync(cts.Token);
        Assert.Empty(host.ListenAddresses);
        await TwoHostTests.WaitForAsync(() => other.Host.Connections.Count == 0 ? "closed" : null, cts.Token);
    }
}
