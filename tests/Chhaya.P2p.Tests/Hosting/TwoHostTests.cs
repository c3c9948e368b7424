// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Noise;
using Chhaya.P2p.Protocols;

namespace Chhaya.P2p.Tests.Hosting;

public class TwoHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Two_hosts_connect_over_tcp_and_run_noise_yamux_identify_and_ping()
    {
        await using var a = await TestHost.StartAsync();
        await using var b = await TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);

        var conn = await a.Host.DialAsync(b.Address, cts.Token);
        Assert.Equal(b.Host.PeerId, conn.RemotePeer);
        Assert.Equal("/yamux/1.0.0", conn.Muxer);

        var info = await conn.Identified.WaitAsync(cts.Token);
        Assert.Equal("chhaya/0.1.0", info.AgentVersion);
        Assert.Equal("ipfs/0.1.0", info.ProtocolVersion);
        Assert.Contains(PingProtocol.ProtocolId, info.Protocols);
        Assert.Contains(IdentifyProtocol.ProtocolId, info.Protocols);
        Assert.Equal(b.Identity.PublicKey, info.PublicKey);
        Assert.Contains(b.Host.ListenAddresses[0], info.ListenAddresses);

        var rtt = await a.Host.PingAsync(conn, cts.Token);
        Assert.True(rtt > TimeSpan.Zero);

        // The listener sees the dialer too, and identifies it.
        var back = await WaitForAsync(() => b.Host.Connections.FirstOrDefault(), cts.Token);
        Assert.Equal(a.Host.PeerId, back.RemotePeer);
        Assert.Equal(ConnectionDirection.Inbound, back.Direction);
        var backInfo = await back.Identified.WaitAsync(cts.Token);
        Assert.Equal(a.Identity.PublicKey, backInfo.PublicKey);
        await b.Host.PingAsync(back, cts.Token);
        Assert.True(a.Logs.Has(6001) && b.Logs.Has(6001));
    }

    [Fact]
    public async Task Registered_protocol_handlers_receive_streams_and_unknown_ones_get_na()
    {
        await using var a = await TestHost.StartAsync();
        await using var b = await TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        b.Host.Router.Register("/chhaya/echo/1.0.0", async (ctx, ct) =>
        {
            var msg = await LengthPrefixed.ReadAsync(ctx.Stream, 1 << 20, ct);
            await LengthPrefixed.WriteAsync(ctx.Stream, msg, ct);
        });

        var conn = await a.Host.DialAsync(b.Address, cts.Token);
        await using (var s = await a.Host.OpenStreamAsync(conn, ["/chhaya/nope/1.0.0", "/chhaya/echo/1.0.0"], cts.Token))
        {
            Assert.Equal("/chhaya/echo/1.0.0", s.Protocol);
            var payload = RandomNumberGenerator.GetBytes(300_000);
            await LengthPrefixed.WriteAsync(s.Stream, payload, cts.Token);
            Assert.Equal(payload, await LengthPrefixed.ReadAsync(s.Stream, 1 << 20, cts.Token));
        }

        await Assert.ThrowsAsync<ProtocolNotSupportedException>(() => a.Host.OpenStreamAsync(conn, ["/chhaya/nope/1.0.0"], cts.Token));
    }

    [Fact]
    public async Task Bulk_transfer_over_one_stream_respects_flow_control()
    {
        await using var a = await TestHost.StartAsync();
        await using var b = await TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var received = new TaskCompletionSource<byte[]>();
        b.Host.Router.Register("/chhaya/sink/1.0.0", async (ctx, ct) =>
        {
            using var ms = new MemoryStream();
            await ctx.Stream.CopyToAsync(ms, ct);
            received.SetResult(SHA256.HashData(ms.ToArray()));
        });

        var conn = await a.Host.DialAsync(b.Address, cts.Token);
        var data = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        await using (var s = await a.Host.OpenStreamAsync(conn, ["/chhaya/sink/1.0.0"], cts.Token))
        {
            await s.Stream.WriteAsync(data, cts.Token);
            await s.Stream.CloseWriteAsync(cts.Token);
            Assert.Equal(SHA256.HashData(data), await received.Task.WaitAsync(cts.Token));
        }
    }

    [Fact]
    public async Task Dialing_with_the_wrong_peer_id_fails_the_handshake()
    {
        await using var a = await TestHost.StartAsync();
        await using var b = await TestHost.StartAsync();
        using var other = Ed25519Identity.Generate();
        using var cts = new CancellationTokenSource(Timeout);
        var wrong = b.Host.ListenAddresses[0].WithPeerId(other.PeerId);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => a.Host.DialAsync(wrong, cts.Token));
        Assert.True(a.Logs.Has(6003));

        // A failed address is backed off.
        await Assert.ThrowsAsync<DialBackoffException>(() => a.Host.DialAsync(wrong, cts.Token));
    }

    [Fact]
    public async Task Identify_push_reaches_connected_peers_when_protocols_change()
    {
        await using var a = await TestHost.StartAsync();
        await using var b = await TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var conn = await a.Host.DialAsync(b.Address, cts.Token);
        await conn.Identified.WaitAsync(cts.Token);
        var back = await WaitForAsync(() => b.Host.Connections.FirstOrDefault(), cts.Token);
        await back.Identified.WaitAsync(cts.Token);

        a.Host.Router.Register("/chhaya/new/1.0.0", (_, _) => Task.CompletedTask);
        await WaitForAsync(() => back.Identify!.Protocols.Contains("/chhaya/new/1.0.0") ? back : null, cts.Token);
    }

    [Fact]
    public async Task Dial_reuses_an_existing_connection_to_the_same_peer()
    {
        await using var a = await TestHost.StartAsync();
        await using var b = await TestHost.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var c1 = await a.Host.DialAsync(b.Address, cts.Token);
        var c2 = await a.Host.DialAsync(b.Address, cts.Token);
        Assert.Same(c1, c2);
        await c1.CloseAsync();
        await WaitForAsync(() => a.Host.Connections.Count == 0 ? "gone" : null, cts.Token);
    }

    [Fact]
    public async Task Announce_addresses_carry_the_peer_id_and_expand_the_unspecified_address()
    {
        await using var a = await TestHost.StartAsync(id => new Libp2pHostOptions
        {
            Identity = id,
            ListenAddresses = [Chhaya.P2p.Addressing.Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), Chhaya.P2p.Addressing.Multiaddr.Parse("/ip4/0.0.0.0/tcp/0")],
        });
        var announced = a.Host.GetAnnounceAddresses();
        Assert.All(announced, m => Assert.Equal(a.Host.PeerId, m.PeerId));
        Assert.Contains(a.Address, announced);
        Assert.DoesNotContain(announced, m => m.ToString().StartsWith("/ip4/0.0.0.0/", StringComparison.Ordinal));
        var wildcardPort = a.Host.ListenAddresses[1].TryGetTcpTarget()!.Value.Port;
        Assert.Contains(announced, m => m.ToString().StartsWith("/ip4/127.0.0.1/tcp/" + wildcardPort + "/", StringComparison.Ordinal));
    }

    internal static async Task<T> WaitForAsync<T>(Func<T?> probe, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(20, cancellationToken);
        }
    }
}
