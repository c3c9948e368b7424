// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.P2p.Yamux;
using Xunit.Abstractions;

namespace Chhaya.P2p.Tests.Yamux;

/// <summary>Receive-window auto-tuning: growth for bulk streams, the per-stream maximum, the session budget.</summary>
public class YamuxWindowTuningTests(ITestOutputHelper output)
{
    private const int KiB = 1024;
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_bulk_stream_grows_its_window_from_measured_round_trips()
    {
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.Zero };
        var (client, server) = await PairAsync(options, options);
        await using var _ = client;
        await using var __ = server;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Up to 8 rounds of 16 MiB: the first window update starts the round-trip ping, later ones can grow.
        var s = await client.OpenStreamAsync(cts.Token);
        await s.WriteAsync(new byte[1], cts.Token);
        var accepted = await server.AcceptStreamAsync(cts.Token);
        await accepted.ReadExactlyAsync(new byte[1], cts.Token);
        var chunk = RandomNumberGenerator.GetBytes(256 * KiB);
        var buffer = new byte[64 * KiB];
        for (var round = 0; round < 8 && accepted.ReceiveWindow == YamuxOptions.InitialWindow; round++)
        {
            var write = WriteManyAsync(s, chunk, 64, cts.Token);
            long received = 0;
            while (received < 64L * chunk.Length)
            {
                received += await accepted.ReadAsync(buffer, cts.Token);
            }

            await write;
        }

        output.WriteLine($"rtt {server.RoundTripTime}, window {accepted.ReceiveWindow}, growth {server.ReceiveWindowGrowth}");
        Assert.NotNull(server.RoundTripTime);
        Assert.True(accepted.ReceiveWindow > YamuxOptions.InitialWindow, $"window stayed at {accepted.ReceiveWindow}");
        Assert.True(accepted.ReceiveWindow <= options.MaxReceiveWindow);
        Assert.Equal(accepted.ReceiveWindow - YamuxOptions.InitialWindow, server.ReceiveWindowGrowth);

        // Closing both sides gives the growth back to the session budget.
        await s.CloseWriteAsync(cts.Token);
        Assert.Equal(0, await accepted.ReadAsync(buffer, cts.Token));
        await accepted.DisposeAsync();
        await WaitAsync(() => server.StreamCount == 0, cts.Token);
        Assert.Equal(0, server.ReceiveWindowGrowth);
    }

    [Fact]
    public async Task Without_auto_tuning_the_window_stays_at_its_configured_size()
    {
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.Zero, AutoTuneReceiveWindow = false };
        var (client, server) = await PairAsync(options, options);
        await using var _ = client;
        await using var __ = server;
        server.SetRoundTripTime(TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var s = await client.OpenStreamAsync(cts.Token);
        var write = WriteManyAsync(s, new byte[256 * KiB], 32, cts.Token);
        var accepted = await server.AcceptStreamAsync(cts.Token);
        var buffer = new byte[64 * KiB];
        long received = 0;
        while (received < 32L * 256 * KiB)
        {
            received += await accepted.ReadAsync(buffer, cts.Token);
        }

        await write;
        Assert.Equal(YamuxOptions.InitialWindow, accepted.ReceiveWindow);
        Assert.Equal(0, server.ReceiveWindowGrowth);
        Assert.Equal(0, server.ReceiveWindowGrowthBudget);
    }

    [Fact]
    public async Task Many_bulk_streams_stay_within_the_per_stream_maximum_and_the_session_budget()
    {
        const int Streams = 8;
        const int PerStream = 8 * MiB;
        var options = new YamuxOptions
        {
            KeepAliveInterval = TimeSpan.Zero,
            MaxInboundStreams = Streams,
            MaxOutboundStreams = Streams,
            MaxReceiveWindow = 1 * MiB,
        };

        // Room for the 16 slots at 256 KiB, plus 2 MiB of growth: not enough for eight streams to double once each
        // and then reach 1 MiB, so the budget, not the per-stream maximum, is what stops them.
        options.MaxSessionReceiveWindow = options.SlotReserve + (2 * MiB);
        var (client, server) = await PairAsync(options, options);
        await using var _ = client;
        await using var __ = server;

        // A round trip far longer than any epoch: every window update wants to double, so only the limits stop it.
        server.SetRoundTripTime(TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var payloads = Enumerable.Range(0, Streams).Select(_ => RandomNumberGenerator.GetBytes(PerStream)).ToArray();
        var writers = new List<Task>();
        for (var i = 0; i < Streams; i++)
        {
            var s = await client.OpenStreamAsync(cts.Token);
            var payload = payloads[i];
            writers.Add(Task.Run(
                async () =>
                {
                    await s.WriteAsync(payload, cts.Token);
                    await s.CloseWriteAsync(cts.Token);
                },
                cts.Token));
        }

        var accepted = new List<YamuxStream>();
        for (var i = 0; i < Streams; i++)
        {
            accepted.Add(await server.AcceptStreamAsync(cts.Token));
        }

        long maxGrowth = 0;
        long maxWindow = 0;
        var violations = new List<string>();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var sampler = Task.Run(
            async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    var growth = server.ReceiveWindowGrowth;
                    var windows = accepted.Select(a => a.ReceiveWindow).ToArray();
                    maxGrowth = Math.Max(maxGrowth, growth);
                    maxWindow = Math.Max(maxWindow, windows.Max());
                    if (growth > 2 * MiB || windows.Any(w => w > MiB) || windows.Sum() > options.MaxSessionReceiveWindow)
                    {
                        violations.Add($"growth {growth}, windows {string.Join(',', windows)}");
                    }

                    await Task.Delay(1, CancellationToken.None);
                }
            },
            CancellationToken.None);

        var readers = accepted.Select(async a =>
        {
            using var ms = new MemoryStream();
            await a.CopyToAsync(ms, 64 * KiB, cts.Token);
            return ms.ToArray();
        }).ToArray();
        var received = await Task.WhenAll(readers);
        await Task.WhenAll(writers);
        await sampling.CancelAsync();
        await sampler;

        for (var i = 0; i < Streams; i++)
        {
            Assert.Equal(payloads[i], received[i]);
        }

        output.WriteLine($"max growth {maxGrowth}, max window {maxWindow}, final windows {string.Join(',', accepted.Select(a => a.ReceiveWindow))}");
        Assert.Empty(violations);
        Assert.Equal(2 * MiB, maxGrowth);
        Assert.True(maxWindow <= MiB);
        Assert.True(accepted.Sum(a => a.ReceiveWindow - YamuxOptions.InitialWindow) <= 2 * MiB);
        Assert.All(accepted, a => Assert.Contains(a.ReceiveWindow, new long[] { 256 * KiB, 512 * KiB, MiB }));
        foreach (var a in accepted)
        {
            await a.DisposeAsync();
        }

        await WaitAsync(() => server.StreamCount == 0, cts.Token);
        Assert.Equal(0, server.ReceiveWindowGrowth);
    }

    [Fact]
    public async Task A_window_stops_at_the_per_stream_maximum()
    {
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.Zero, MaxReceiveWindow = 1 * MiB };
        var (client, server) = await PairAsync(options, options);
        await using var _ = client;
        await using var __ = server;
        server.SetRoundTripTime(TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var s = await client.OpenStreamAsync(cts.Token);
        var write = WriteManyAsync(s, new byte[256 * KiB], 64, cts.Token);
        var accepted = await server.AcceptStreamAsync(cts.Token);
        var buffer = new byte[64 * KiB];
        long received = 0;
        long maxWindow = 0;
        while (received < 64L * 256 * KiB)
        {
            received += await accepted.ReadAsync(buffer, cts.Token);
            maxWindow = Math.Max(maxWindow, accepted.ReceiveWindow);
        }

        await write;

        // 256 KiB → 512 KiB → 1 MiB, then no further: every later update only credits back what was read.
        Assert.Equal(MiB, maxWindow);
        Assert.Equal(MiB, accepted.ReceiveWindow);
        Assert.Equal(MiB - YamuxOptions.InitialWindow, server.ReceiveWindowGrowth);
    }

    [Fact]
    public async Task Data_beyond_a_grown_window_is_still_a_protocol_error()
    {
        var (raw, serverSide) = await SocketPair.CreateAsync();
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.Zero, MaxReceiveWindow = 4 * MiB };
        var server = new YamuxSession(serverSide, isClient: false, options);
        server.SetRoundTripTime(TimeSpan.FromSeconds(10));
        server.Start();
        await using var _ = server;
        await using var __ = raw;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var peer = new RawYamuxPeer(raw, streamId: 1);

        // The application reads 3 MiB and then stops, so every window update it will send has been sent.
        const int Consumed = 3 * MiB;
        var reading = Task.Run(
            async () =>
            {
                var stream = await server.AcceptStreamAsync(cts.Token);
                await stream.ReadExactlyAsync(new byte[Consumed], cts.Token);
                return stream;
            },
            cts.Token);

        await peer.SendAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlagBits.Syn, 1, 0), 0, cts.Token);
        long sent = 0;
        while (sent < Consumed)
        {
            var n = (int)Math.Min(Math.Min(64 * KiB, Consumed - sent), peer.Window - sent);
            if (n == 0)
            {
                await peer.ReadFramesAsync(untilQuietFor: TimeSpan.FromMilliseconds(50), cts.Token);
                continue;
            }

            await peer.SendAsync(new YamuxHeader(YamuxFrameType.Data, YamuxFlagBits.None, 1, (uint)n), n, cts.Token);
            sent += n;
        }

        var accepted = await reading;
        await peer.ReadFramesAsync(untilQuietFor: TimeSpan.FromMilliseconds(500), cts.Token);
        output.WriteLine($"advertised {peer.Window}, window {accepted.ReceiveWindow}");
        Assert.True(accepted.ReceiveWindow > YamuxOptions.InitialWindow, "the window did not grow");

        // Read bytes not yet credited back (less than half the window) are not in the advertised total.
        Assert.InRange(peer.Window, Consumed + YamuxOptions.InitialWindow + 1, Consumed + accepted.ReceiveWindow);

        // Exactly the advertised remainder is accepted (a ping proves the session is still up)...
        var remaining = peer.Window - sent;
        while (remaining > 0)
        {
            var n = (int)Math.Min(64 * KiB, remaining);
            await peer.SendAsync(new YamuxHeader(YamuxFrameType.Data, YamuxFlagBits.None, 1, (uint)n), n, cts.Token);
            remaining -= n;
        }

        await peer.SendAsync(new YamuxHeader(YamuxFrameType.Ping, YamuxFlagBits.Syn, 0, 77), 0, cts.Token);
        await peer.ReadFramesAsync(untilQuietFor: TimeSpan.FromMilliseconds(300), cts.Token);
        Assert.Contains(77u, peer.PingAcks);
        Assert.False(server.IsClosed);

        // ...and one byte more is refused with GoAway(protocol error).
        await peer.SendAsync(new YamuxHeader(YamuxFrameType.Data, YamuxFlagBits.None, 1, 1), 1, cts.Token);
        var reason = await server.Completion.WaitAsync(cts.Token);
        Assert.IsType<YamuxProtocolException>(reason);
        await peer.ReadFramesAsync(untilQuietFor: TimeSpan.FromMilliseconds(300), cts.Token);
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, peer.GoAway);
    }

    private static async Task<(YamuxSession Client, YamuxSession Server)> PairAsync(YamuxOptions clientOptions, YamuxOptions serverOptions)
    {
        var (a, b) = await SocketPair.CreateAsync();
        var client = new YamuxSession(a, isClient: true, clientOptions);
        var server = new YamuxSession(b, isClient: false, serverOptions);
        client.Start();
        server.Start();
        return (client, server);
    }

    private static async Task WriteManyAsync(Stream s, byte[] chunk, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await s.WriteAsync(chunk, cancellationToken);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
