// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Yamux;
using CsCheck;

namespace Chhaya.P2p.Tests.Yamux;

public class YamuxSessionTests
{
    private static async Task<(YamuxSession Client, YamuxSession Server)> PairAsync(YamuxOptions? options = null)
    {
        var (a, b) = await SocketPair.CreateAsync();
        var client = new YamuxSession(a, isClient: true, options);
        var server = new YamuxSession(b, isClient: false, options);
        client.Start();
        server.Start();
        return (client, server);
    }

    [Fact]
    public void Header_round_trips_and_rejects_unknown_bits()
    {
        Gen.Select(Gen.Byte[0, 3], Gen.UShort[0, 15], Gen.UInt, Gen.UInt).Sample((t, f, id, len) =>
        {
            var h = new YamuxHeader((YamuxFrameType)t, (YamuxFlagBits)f, id, len);
            var bytes = new byte[12];
            h.Write(bytes);
            return YamuxHeader.TryRead(bytes, out var back) == DecodeStatus.Done && back == h;
        });
        Assert.Equal(DecodeStatus.Malformed, YamuxHeader.TryRead(Convert.FromHexString("000100200000000100000000"), out _));
        Assert.Equal(DecodeStatus.NeedMoreData, YamuxHeader.TryRead(new byte[11], out _));
    }

    [Fact]
    public async Task Client_streams_are_odd_and_data_flows_both_ways_with_half_close()
    {
        var (client, server) = await PairAsync();
        await using var _ = client;
        await using var __ = server;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var s = await client.OpenStreamAsync(cts.Token);
        Assert.Equal(1u, s.Id);
        await s.WriteAsync("hello"u8.ToArray(), cts.Token);
        await s.CloseWriteAsync(cts.Token);

        var accepted = await server.AcceptStreamAsync(cts.Token);
        Assert.Equal(1u, accepted.Id);
        using var ms = new MemoryStream();
        await accepted.CopyToAsync(ms, cts.Token);
        Assert.Equal("hello"u8.ToArray(), ms.ToArray());

        // The other direction still works after the client's FIN.
        await accepted.WriteAsync("world"u8.ToArray(), cts.Token);
        await accepted.CloseWriteAsync(cts.Token);
        var buf = new byte[5];
        await s.ReadExactlyAsync(buf, cts.Token);
        Assert.Equal("world"u8.ToArray(), buf);
        Assert.Equal(0, await s.ReadAsync(buf, cts.Token));
        await TwoHostWait(() => client.StreamCount == 0 && server.StreamCount == 0, cts.Token);
    }

    [Fact]
    public async Task Writer_blocks_when_the_reader_does_not_read_and_resumes_when_it_does()
    {
        var (client, server) = await PairAsync();
        await using var _ = client;
        await using var __ = server;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var s = await client.OpenStreamAsync(cts.Token);
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var write = s.WriteAsync(data, cts.Token).AsTask();

        // Only the 256 KiB window can be in flight while nobody reads.
        await Task.Delay(500, cts.Token);
        Assert.False(write.IsCompleted);

        var accepted = await server.AcceptStreamAsync(cts.Token);
        var received = new byte[data.Length];
        await accepted.ReadExactlyAsync(received, cts.Token);
        await write;
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Ping_returns_a_round_trip_time()
    {
        var (client, server) = await PairAsync();
        await using var _ = client;
        await using var __ = server;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.True(await client.PingAsync(cts.Token) >= TimeSpan.Zero);
        Assert.True(await server.PingAsync(cts.Token) >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Reset_fails_the_peer_side_and_goaway_stops_new_streams()
    {
        var (client, server) = await PairAsync();
        await using var _ = client;
        await using var __ = server;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var s = await client.OpenStreamAsync(cts.Token);
        await s.WriteAsync(new byte[] { 1 }, cts.Token);
        var accepted = await server.AcceptStreamAsync(cts.Token);
        Assert.Equal(1, await accepted.ReadAsync(new byte[1], cts.Token));
        s.Reset();
        await Assert.ThrowsAsync<IOException>(async () => await accepted.ReadExactlyAsync(new byte[1], cts.Token));

        await server.CloseAsync();
        Assert.Null(await client.Completion.WaitAsync(cts.Token));
        await Assert.ThrowsAsync<IOException>(() => client.OpenStreamAsync(cts.Token));
    }

    [Fact]
    public async Task Inbound_streams_over_the_limit_are_reset()
    {
        var (client, server) = await PairAsync(new YamuxOptions { MaxInboundStreams = 2, MaxOutboundStreams = 10 });
        await using var _ = client;
        await using var __ = server;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var streams = new List<YamuxStream>();
        for (var i = 0; i < 3; i++)
        {
            streams.Add(await client.OpenStreamAsync(cts.Token));
        }

        // The third one was refused with RST: its reads fail.
        await Assert.ThrowsAsync<IOException>(async () => await streams[2].ReadExactlyAsync(new byte[1], cts.Token));
        Assert.Equal(1, server.RefusedStreams);
        Assert.False(server.IsClosed);
    }

    [Fact]
    public async Task Larger_configured_windows_are_announced_and_used()
    {
        var options = new YamuxOptions { ReceiveWindow = 4 * 1024 * 1024 };
        var (client, server) = await PairAsync(options);
        await using var _ = client;
        await using var __ = server;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var accepting = server.AcceptStreamAsync(cts.Token).AsTask();
        var s = await client.OpenStreamAsync(cts.Token);
        await s.WriteAsync(new byte[1], cts.Token);
        var accepted = await accepting;

        // The server announced 4 MiB in its ACK: 2 MiB can be written with nobody reading.
        await Task.Delay(200, cts.Token);
        await s.WriteAsync(new byte[2 * 1024 * 1024], cts.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cts.Token);
        var buf = new byte[1 + (2 * 1024 * 1024)];
        await accepted.ReadExactlyAsync(buf, cts.Token);
    }

    private static async Task TwoHostWait(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
