// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Protocols;
using Chhaya.P2p.Relay;
using Chhaya.P2p.Tests.Hosting;

namespace Chhaya.P2p.Tests.Relay;

/// <summary>Three hosts on 127.0.0.1: a relay, a target that reserves a slot, and a dialer that reaches it through the relay.</summary>
public class RelayTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_dialer_reaches_a_reserved_target_through_the_relay_and_runs_identify_and_ping()
    {
        await using var net = await Trio.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);

        var reservation = await net.ReserveAsync(cts.Token);
        Assert.Equal(net.Relay.Host.PeerId, reservation.Relay);
        Assert.InRange(reservation.Expires, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Equal(net.Target.Host.PeerId, reservation.Voucher.Peer);
        Assert.Equal((ulong)reservation.Expires.ToUnixTimeSeconds(), reservation.Voucher.Expiration);
        Assert.Contains(net.Relay.Address, reservation.RelayAddresses);
        var circuit = CircuitAddresses.Build(net.Relay.Address, net.Target.Host.PeerId);
        Assert.Equal($"{net.Relay.Address}/p2p-circuit/p2p/{net.Target.Host.PeerId}", circuit.ToString());
        Assert.Contains(circuit, reservation.CircuitAddresses);
        Assert.Equal(new RelayLimit(120, 1 << 17), reservation.Limit);
        Assert.Equal(1, net.Server.ReservationCount);

        var connection = await net.Dialer.Host.DialAsync(circuit, cts.Token);
        Assert.Equal(net.Target.Host.PeerId, connection.RemotePeer);
        Assert.Contains(connection.RemoteAddress.Components, c => c.Protocol == MultiaddrProtocol.P2pCircuit);
        var info = await connection.Identified.WaitAsync(cts.Token);
        Assert.Equal(net.Target.Identity.PublicKey, info.PublicKey);
        Assert.Contains(StopMessage.ProtocolId, info.Protocols);
        Assert.True(await net.Dialer.Host.PingAsync(connection, cts.Token) > TimeSpan.Zero);

        // The target sees an inbound relayed connection from the dialer and can use it too.
        var back = await WaitForAsync(() => net.Target.Host.Connections.FirstOrDefault(c => c.RemotePeer.Equals(net.Dialer.Host.PeerId)), cts.Token);
        Assert.Equal(ConnectionDirection.Inbound, back.Direction);
        Assert.Equal(circuit.ToString().Replace(net.Target.Host.PeerId.ToString(), net.Dialer.Host.PeerId.ToString(), StringComparison.Ordinal), back.RemoteAddress.ToString());
        await net.Target.Host.PingAsync(back, cts.Token);
        Assert.Equal(1, net.Server.ActiveCircuits);
        Assert.Equal(1, net.TargetClient.InboundCircuits);

        // Closing the relayed connection ends the circuit at the relay.
        var ended = new TaskCompletionSource<CircuitRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        net.Server.CircuitEnded += (_, r) => ended.TrySetResult(r);
        await connection.CloseAsync();
        var record = await ended.Task.WaitAsync(cts.Token);
        Assert.Equal(net.Dialer.Host.PeerId, record.Source);
        Assert.True(record.BytesUp > 0 && record.BytesDown > 0);
        Assert.Equal(0, net.Server.ActiveCircuits);
    }

    [Fact]
    public async Task Dialing_a_peer_without_a_reservation_is_refused()
    {
        await using var net = await Trio.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await net.Target.Host.DialAsync(net.Relay.Address, cts.Token);

        var circuit = CircuitAddresses.Build(net.Relay.Address, net.Target.Host.PeerId);
        var e = await Assert.ThrowsAsync<RelayRefusedException>(() => net.Dialer.Host.DialAsync(circuit, cts.Token));
        Assert.Equal(RelayStatus.NoReservation, e.Status);
    }

    [Fact]
    public async Task The_data_limit_cuts_the_relayed_connection()
    {
        await using var net = await Trio.StartAsync(new RelayServerOptions { CircuitDataLimit = 32 * 1024 });
        using var cts = new CancellationTokenSource(Timeout);
        net.Target.Host.Router.Register("/chhaya/sink/1.0.0", async (ctx, ct) =>
        {
            var buffer = new byte[4096];
            while (await ctx.Stream.ReadAsync(buffer, ct) > 0)
            {
            }
        });
        await net.ReserveAsync(cts.Token);
        var ended = net.WatchCircuit();
        var connection = await net.Dialer.Host.DialAsync(CircuitAddresses.Build(net.Relay.Address, net.Target.Host.PeerId), cts.Token);
        await using (var s = await net.Dialer.Host.OpenStreamAsync(connection, ["/chhaya/sink/1.0.0"], cts.Token))
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                for (var i = 0; i < 64; i++)
                {
                    await s.Stream.WriteAsync(new byte[4096], cts.Token);
                }

                await connection.Completion.WaitAsync(cts.Token);
                throw new IOException("closed");
            });
        }

        var record = await ended.WaitAsync(cts.Token);
        Assert.Equal(CircuitEnd.DataLimit, record.End);
        Assert.True(record.BytesUp <= 32 * 1024);
        await connection.Completion.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task The_duration_limit_cuts_the_relayed_connection()
    {
        await using var net = await Trio.StartAsync(new RelayServerOptions { CircuitDuration = TimeSpan.FromSeconds(1) });
        using var cts = new CancellationTokenSource(Timeout);
        var reservation = await net.ReserveAsync(cts.Token);
        Assert.Equal(1u, reservation.Limit!.DurationSeconds);
        var ended = net.WatchCircuit();
        var connection = await net.Dialer.Host.DialAsync(CircuitAddresses.Build(net.Relay.Address, net.Target.Host.PeerId), cts.Token);
        await net.Dialer.Host.PingAsync(connection, cts.Token);

        var record = await ended.WaitAsync(cts.Token);
        Assert.Equal(CircuitEnd.DurationLimit, record.End);
        await connection.Completion.WaitAsync(cts.Token);
    }

    [Fact]
    public async Task Reservations_are_capped_rate_limited_and_dropped_on_disconnect()
    {
        await using var net = await Trio.StartAsync(new RelayServerOptions { MaxReservations = 1, MaxRequestsPerPeer = 2 });
        using var cts = new CancellationTokenSource(Timeout);
        await net.ReserveAsync(cts.Token);
        await net.ReserveAsync(cts.Token); // a refresh takes no new slot

        var third = await Assert.ThrowsAsync<RelayRefusedException>(() => net.ReserveAsync(cts.Token));
        Assert.Equal(RelayStatus.ResourceLimitExceeded, third.Status);

        var dialerClient = net.DialerClient;
        var toRelay = await net.Dialer.Host.DialAsync(net.Relay.Address, cts.Token);
        var full = await Assert.ThrowsAsync<RelayRefusedException>(() => dialerClient.ReserveAsync(toRelay, cts.Token));
        Assert.Equal(RelayStatus.ReservationRefused, full.Status);

        foreach (var c in net.Target.Host.Connections)
        {
            await c.CloseAsync();
        }

        await WaitForAsync(() => net.Server.ReservationCount == 0 ? "gone" : null, cts.Token);
        await dialerClient.ReserveAsync(toRelay, cts.Token);
        Assert.Equal(1, net.Server.ReservationCount);
    }

    [Fact]
    public async Task A_maintained_reservation_outlives_its_first_expiry()
    {
        await using var net = await Trio.StartAsync(new RelayServerOptions { ReservationTtl = TimeSpan.FromSeconds(3) });
        using var cts = new CancellationTokenSource(Timeout);
        var toRelay = await net.Target.Host.DialAsync(net.Relay.Address, cts.Token);
        var reservations = new System.Collections.Concurrent.ConcurrentQueue<RelayReservation>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var keeping = net.TargetClient.MaintainReservationAsync(toRelay, reservations.Enqueue, stop.Token);

        var first = await WaitForAsync(() => reservations.TryPeek(out var r) ? r : null, cts.Token);
        await Task.Delay(first.Expires - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500), cts.Token);
        Assert.True(reservations.Count >= 2, "the reservation was not refreshed");
        Assert.True(reservations.Last().Expires > first.Expires);

        // Past the first expiry, the target is still reachable through the relay.
        var connection = await net.Dialer.Host.DialAsync(CircuitAddresses.Build(net.Relay.Address, net.Target.Host.PeerId), cts.Token);
        await net.Dialer.Host.PingAsync(connection, cts.Token);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => keeping);
    }

    [Fact]
    public async Task A_stop_request_from_a_relay_we_hold_no_reservation_with_is_refused()
    {
        await using var net = await Trio.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var connection = await net.Dialer.Host.DialAsync(net.Target.Address, cts.Token);

        await using var s = await net.Dialer.Host.OpenStreamAsync(connection, [StopMessage.ProtocolId], cts.Token);
        var connect = new StopMessage(StopType.Connect) { Peer = new RelayPeer(net.Relay.Host.PeerId, []) };
        await LengthPrefixed.WriteAsync(s.Stream, connect.Encode(), cts.Token);
        var reply = StopMessage.Decode(await LengthPrefixed.ReadAsync(s.Stream, StopMessage.MaxLength, cts.Token));
        Assert.Equal(RelayStatus.PermissionDenied, reply.Status);
        Assert.Equal(0, net.TargetClient.InboundCircuits);
    }

    [Fact]
    public async Task A_malformed_hop_request_gets_malformed_message()
    {
        await using var net = await Trio.StartAsync();
        using var cts = new CancellationTokenSource(Timeout);
        var connection = await net.Dialer.Host.DialAsync(net.Relay.Address, cts.Token);
        await using var s = await net.Dialer.Host.OpenStreamAsync(connection, [HopMessage.ProtocolId], cts.Token);
        await LengthPrefixed.WriteAsync(s.Stream, new byte[] { 0x08, 0x09 }, cts.Token);
        var reply = HopMessage.Decode(await LengthPrefixed.ReadAsync(s.Stream, HopMessage.MaxLength, cts.Token));
        Assert.Equal(RelayStatus.MalformedMessage, reply.Status);
    }

    internal static async Task<T> WaitForAsync<T>(Func<T?> probe, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private sealed class Trio : IAsyncDisposable
    {
        private Trio(TestHost relay, TestHost target, TestHost dialer, RelayServerOptions? options)
        {
            Relay = relay;
            Target = target;
            Dialer = dialer;
            Server = new RelayServer(relay.Host, relay.Identity, options);
            TargetClient = new RelayClient(target.Host);
            DialerClient = new RelayClient(dialer.Host);
        }

        public TestHost Relay { get; }

        public TestHost Target { get; }

        public TestHost Dialer { get; }

        public RelayServer Server { get; }

        public RelayClient TargetClient { get; }

        public RelayClient DialerClient { get; }

        public static async Task<Trio> StartAsync(RelayServerOptions? options = null) =>
            new(await TestHost.StartAsync(), await TestHost.StartAsync(), await TestHost.StartAsync(), options);

        public async Task<RelayReservation> ReserveAsync(CancellationToken cancellationToken) =>
            await TargetClient.ReserveAsync(await Target.Host.DialAsync(Relay.Address, cancellationToken), cancellationToken);

        public Task<CircuitRecord> WatchCircuit()
        {
            var ended = new TaskCompletionSource<CircuitRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            Server.CircuitEnded += (_, r) => ended.TrySetResult(r);
            return ended.Task;
        }

        public async ValueTask DisposeAsync()
        {
            await Dialer.DisposeAsync();
            await Target.DisposeAsync();
            await Relay.DisposeAsync();
        }
    }
}
