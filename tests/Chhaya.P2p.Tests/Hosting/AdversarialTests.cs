// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Sockets;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Tests.Hosting;

/// <summary>Peers that break the rules: the host must drop them, log it, and keep serving others.</summary>
public class AdversarialTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Task<TestHost> StartStrictHostAsync(int maxPending = 64) => TestHost.StartAsync(id => new Libp2pHostOptions
    {
        Identity = id,
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        HandshakeTimeout = TimeSpan.FromSeconds(1),
        MaxPendingHandshakes = maxPending,
        Yamux = new YamuxOptions { MaxInboundStreams = 8, MaxRefusedStreams = 32 },
    });

    private static async Task AssertStillServesAsync(TestHost host, CancellationToken cancellationToken)
    {
        await using var honest = await TestHost.StartAsync();
        var conn = await honest.Host.DialAsync(host.Address, cancellationToken);
        await honest.Host.PingAsync(conn, cancellationToken);
    }

    [Fact]
    public async Task A_peer_that_never_finishes_the_handshake_is_dropped_after_the_timeout()
    {
        await using var host = await StartStrictHostAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var (ip, port) = host.Address.WithoutPeerId().TryGetTcpTarget()!.Value;
        using var staller = new TcpClient();
        await staller.ConnectAsync(ip, port, cts.Token);

        // Send the multistream header and then nothing more.
        var stream = staller.GetStream();
        await stream.WriteAsync(MultistreamSelect.Encode(MultistreamSelect.ProtocolId), cts.Token);
        var buffer = new byte[256];
        var started = DateTime.UtcNow;
        while (await stream.ReadAsync(buffer, cts.Token) > 0)
        {
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        await TwoHostTests.WaitForAsync(() => host.Logs.Has(6003) ? "logged" : null, cts.Token);
        await AssertStillServesAsync(host, cts.Token);
    }

    [Fact]
    public async Task Stalled_handshakes_beyond_the_pending_limit_are_refused_at_once()
    {
        await using var host = await StartStrictHostAsync(maxPending: 2);
        using var cts = new CancellationTokenSource(Timeout);
        var (ip, port) = host.Address.WithoutPeerId().TryGetTcpTarget()!.Value;
        var stallers = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var c = new TcpClient();
                stallers.Add(c);
                await c.ConnectAsync(ip, port, cts.Token);
            }

            await TwoHostTests.WaitForAsync(() => host.Logs.Has(6007) ? "refused" : null, cts.Token);
        }
        finally
        {
            stallers.ForEach(c => c.Dispose());
        }

        // Once the stalled ones time out, honest peers get in again.
        await Task.Delay(1500, cts.Token);
        await AssertStillServesAsync(host, cts.Token);
    }

    [Theory]
    [InlineData("000000000000000000000000000000")] // a multistream length of 0
    [InlineData("ffffffffffffffffffff")] // an overlong varint
    [InlineData("132f6d756c746973747265616d2f312e302e300a07")] // header then a truncated proposal
    [InlineData("474554202f20485454502f312e310d0a0d0a")] // HTTP
    public async Task Garbage_instead_of_multistream_is_dropped(string hex)
    {
        await using var host = await StartStrictHostAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var (ip, port) = host.Address.WithoutPeerId().TryGetTcpTarget()!.Value;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(ip, port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Convert.FromHexString(hex), cts.Token);
            var buffer = new byte[256];
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
        }

        await TwoHostTests.WaitForAsync(() => host.Logs.Has(6003) ? "logged" : null, cts.Token);
        await AssertStillServesAsync(host, cts.Token);
    }

    [Fact]
    public async Task A_data_frame_larger_than_the_window_gets_goaway_and_the_peer_is_dropped()
    {
        await using var host = await StartStrictHostAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var attacker = await RawAttacker.ConnectAsync(host.Address, cts.Token);

        // Claims 16 MiB on a new stream: over the 256 KiB initial window, refused before any body is buffered.
        await attacker.SendFrameAsync(new YamuxHeader(YamuxFrameType.Data, YamuxFlagBits.Syn, 1, 16 << 20), 0, cts.Token);
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, await attacker.ReadUntilClosedAsync(cts.Token));
        await TwoHostTests.WaitForAsync(() => host.Logs.Has(6004) ? "logged" : null, cts.Token);
        await AssertStillServesAsync(host, cts.Token);
    }

    [Fact]
    public async Task A_peer_that_ignores_the_window_is_dropped()
    {
        await using var host = await StartStrictHostAsync();
        using var cts = new CancellationTokenSource(Timeout);

        // A handler that never reads, so no window is ever credited back.
        host.Host.Router.Register("/test/stall/1.0.0", (_, ct) => Task.Delay(System.Threading.Timeout.Infinite, ct));
        await using var attacker = await RawAttacker.ConnectAsync(host.Address, cts.Token);
        var negotiation = MultistreamSelect.Encode(MultistreamSelect.ProtocolId).Concat(MultistreamSelect.Encode("/test/stall/1.0.0")).ToArray();
        var first = new byte[YamuxHeader.Size + negotiation.Length];
        new YamuxHeader(YamuxFrameType.Data, YamuxFlagBits.Syn, 1, (uint)negotiation.Length).Write(first);
        negotiation.CopyTo(first, YamuxHeader.Size);
        await attacker.Secure.WriteAsync(first, cts.Token);

        // Five frames of 64 KiB = 320 KiB against 256 KiB of window.
        for (var i = 0; i < 5; i++)
        {
            if (!await attacker.SendFrameAsync(new YamuxHeader(YamuxFrameType.Data, YamuxFlagBits.None, 1, 64 * 1024), 64 * 1024, cts.Token))
            {
                break;
            }
        }

        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, await attacker.ReadUntilClosedAsync(cts.Token));
        await TwoHostTests.WaitForAsync(() => host.Logs.Has(6004) ? "logged" : null, cts.Token);
        await AssertStillServesAsync(host, cts.Token);
    }

    [Fact]
    public async Task A_stream_flood_is_refused_with_rst_and_then_dropped()
    {
        await using var host = await StartStrictHostAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var attacker = await RawAttacker.ConnectAsync(host.Address, cts.Token);
        for (uint id = 1; id < 2 * 200; id += 2)
        {
            if (!await attacker.SendFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlagBits.Syn, id, 0), 0, cts.Token))
            {
                break; // Dropped already, as intended.
            }
        }

        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, await attacker.ReadUntilClosedAsync(cts.Token));
        await TwoHostTests.WaitForAsync(() => host.Logs.Has(6004) ? "logged" : null, cts.Token);
        await AssertStillServesAsync(host, cts.Token);
    }

    [Theory]
    [InlineData(1, 0, 0)] // version 1
    [InlineData(0, 7, 0)] // unknown type
    [InlineData(0, 1, 0x10)] // unknown flag bit
    public async Task Malformed_yamux_headers_close_the_session(byte version, byte type, ushort flags)
    {
        await using var host = await StartStrictHostAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var attacker = await RawAttacker.ConnectAsync(host.Address, cts.Token);
        var frame = new byte[12];
        frame[0] = version;
        frame[1] = type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), flags);
        frame[7] = 1;
        await attacker.Secure.WriteAsync(frame, cts.Token);
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, await attacker.ReadUntilClosedAsync(cts.Token));
        await AssertStillServesAsync(host, cts.Token);
    }

    [Fact]
    public async Task A_stream_id_in_the_wrong_id_space_closes_the_session()
    {
        await using var host = await StartStrictHostAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var attacker = await RawAttacker.ConnectAsync(host.Address, cts.Token);

        // The attacker dialed, so its streams must be odd.
        await attacker.SendFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlagBits.Syn, 2, 0), 0, cts.Token);
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, await attacker.ReadUntilClosedAsync(cts.Token));
    }

    [Fact]
    public async Task A_forged_noise_frame_fails_authentication_and_ends_the_connection()
    {
        await using var host = await StartStrictHostAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await using var attacker = await RawAttacker.ConnectAsync(host.Address, cts.Token);
        await TwoHostTests.WaitForAsync(() => host.Host.Connections.Count == 1 ? "up" : null, cts.Token);

        // A well-framed Noise message whose ciphertext was never produced with the session key.
        var forged = new byte[2 + 48];
        forged[1] = 48;
        System.Security.Cryptography.RandomNumberGenerator.Fill(forged.AsSpan(2));
        await attacker.Raw.WriteAsync(forged, cts.Token);
        await TwoHostTests.WaitForAsync(() => host.Host.Connections.Count == 0 ? "gone" : null, cts.Token);
        await AssertStillServesAsync(host, cts.Token);
    }
}
