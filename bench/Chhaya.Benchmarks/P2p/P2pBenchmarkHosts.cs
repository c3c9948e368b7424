// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Yamux;

namespace Chhaya.Benchmarks.P2p;

/// <summary>Two Chhaya hosts on 127.0.0.1 for the benchmarks.</summary>
internal sealed class P2pBenchmarkHosts : IAsyncDisposable
{
    public const string SinkProtocol = "/chhaya/bench/sink/1.0.0";

    private readonly Ed25519Identity _idA = Ed25519Identity.Generate();
    private readonly Ed25519Identity _idB = Ed25519Identity.Generate();

    public P2pBenchmarkHosts(YamuxOptions? yamux = null)
    {
        Dialer = new Libp2pHost(Options(_idA, listen: false, yamux ?? new YamuxOptions()));
        Listener = new Libp2pHost(Options(_idB, listen: true, yamux ?? new YamuxOptions()));
        Listener.Router.Register(SinkProtocol, async (ctx, ct) =>
        {
            // Drain everything, then answer one byte so the sender knows all data arrived.
            var buffer = new byte[64 * 1024];
            while (await ctx.Stream.ReadAsync(buffer, ct) > 0)
            {
            }

            LastReceiveWindow = ctx.Stream.ReceiveWindow;

            await ctx.Stream.WriteAsync(new byte[] { 1 }, ct);
        });
    }

    /// <summary>The receive window the sink's last stream ended with (grown, when auto-tuning is on).</summary>
    public long LastReceiveWindow { get; private set; }

    public Libp2pHost Dialer { get; }

    public Libp2pHost Listener { get; }

    public Multiaddr ListenerAddress => Listener.ListenAddresses[0];

    public async Task StartAsync()
    {
        await Dialer.StartAsync(CancellationToken.None);
        await Listener.StartAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Dialer.DisposeAsync();
        await Listener.DisposeAsync();
        _idA.Dispose();
        _idB.Dispose();
    }

    private static Libp2pHostOptions Options(Ed25519Identity id, bool listen, YamuxOptions yamux) => new()
    {
        Yamux = yamux,
        Identity = id,
        ListenAddresses = listen ? [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] : [],
        MaxConnectionsPerPeer = 100_000,
        MaxConnections = 100_000,
        HighWater = 100_000,
        LowWater = 90_000,
    };
}
