// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Tests.Hosting;

/// <summary>Starts hosts on 127.0.0.1 with a random port and tears them down.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(Libp2pHost host, Ed25519Identity identity, CapturingLoggerFactory logs)
    {
        Host = host;
        Identity = identity;
        Logs = logs;
    }

    public Libp2pHost Host { get; }

    public Ed25519Identity Identity { get; }

    public CapturingLoggerFactory Logs { get; }

    public Multiaddr Address => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

    public static async Task<TestHost> StartAsync(Func<Ed25519Identity, Libp2pHostOptions>? configure = null)
    {
        var identity = Ed25519Identity.Generate();
        var options = configure?.Invoke(identity) ?? new Libp2pHostOptions
        {
            Identity = identity,
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        };
        var logs = new CapturingLoggerFactory();
        var host = new Libp2pHost(options, logs);
        await host.StartAsync(CancellationToken.None);
        return new TestHost(host, identity, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Identity.Dispose();
    }
}
