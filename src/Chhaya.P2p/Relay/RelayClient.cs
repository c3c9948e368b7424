// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.AutoNat;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Protocols;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.Relay;

/// <summary>
/// The client side of circuit relay v2: makes and keeps reservations (<see cref="ReserveAsync"/>,
/// <see cref="MaintainReservationAsync"/>), dials
/// <c>.../p2p/RELAY/p2p-circuit/p2p/TARGET</c> addresses (it registers itself as a dialer, so
/// <see cref="Libp2pHost.DialAsync"/> handles them), and serves the stop protocol, turning an accepted circuit
/// into an ordinary inbound connection (Noise + Yamux over the relayed stream).
/// </summary>
/// <remarks>
/// Defences: reservation vouchers are checked (signature by the relay, naming us and the relay, matching the
/// expiry); stop requests are accepted only from relays we hold a live reservation with (by default), only over
/// direct connections, rate-limited per relay and globally, with a cap on relayed inbound connections; the
/// circuit's Noise handshake must prove the peer the relay named.
/// </remarks>
public sealed class RelayClient : IConnectionDialer
{
    private static readonly DateTimeOffset LatestExpiry = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Libp2pHost _host;
    private readonly RelayClientOptions _options;
    private readonly RequestLimiter _limiter;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<PeerId, RelayReservation> _reservations = new();
    private int _inbound;

    public RelayClient(Libp2pHost host, RelayClientOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _options = options ?? new RelayClientOptions();
        _limiter = new RequestLimiter(_options.MaxStopRequestsPerRelay, _options.MaxStopRequestsGlobal, _options.RateWindow);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p.Relay");
        host.Router.Register(StopMessage.ProtocolId, HandleStopAsync);
        host.AddDialer(this);
    }

    /// <summary>Our live reservations, by relay.</summary>
    public IReadOnlyCollection<RelayReservation> Reservations => [.. _reservations.Values.Where(r => r.Expires > DateTimeOffset.UtcNow)];

    /// <summary>Relayed inbound connections open now.</summary>
    public int InboundCircuits => Volatile.Read(ref _inbound);

    /// <summary>Asks <paramref name="relay"/> for a reservation (or refreshes ours) and checks its voucher.</summary>
    /// <exception cref="RelayRefusedException">The relay refused.</exception>
    /// <exception cref="MalformedInputException">The answer or its voucher is malformed or does not check out.</exception>
    public async Task<RelayReservation> ReserveAsync(Libp2pConnection relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        if (CircuitAddresses.IsRelayed(relay.RemoteAddress))
        {
            throw new ArgumentException("reservations are made over direct connections", nameof(relay));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        HopMessage answer;
        var s = await _host.OpenStreamAsync(relay, [HopMessage.ProtocolId], timeout.Token).ConfigureAwait(false);
        await using (s.ConfigureAwait(false))
        {
            await LengthPrefixed.WriteAsync(s.Stream, new HopMessage(HopType.Reserve).Encode(), timeout.Token).ConfigureAwait(false);
            answer = HopMessage.Decode(await LengthPrefixed.ReadAsync(s.Stream, HopMessage.MaxLength, timeout.Token).ConfigureAwait(false));
        }

        var info = CheckStatus(answer).Reservation ?? throw new MalformedInputException("reservation accepted without its details");
        if (info.Expire > (ulong)LatestExpiry.ToUnixTimeSeconds() || DateTimeOffset.FromUnixTimeSeconds((long)info.Expire) <= DateTimeOffset.UtcNow)
        {
            throw new MalformedInputException($"reservation expiry {info.Expire} is in the past or absurdly far away");
        }

        var voucher = ReservationVoucher.Open(info.Voucher ?? throw new MalformedInputException("reservation carries no voucher"));
        if (!voucher.Relay.Equals(relay.RemotePeer) || !voucher.Peer.Equals(_host.PeerId) || voucher.Expiration != info.Expire)
        {
            throw new MalformedInputException("the voucher names another relay, another peer or another expiry");
        }

        var relayAddresses = new List<Multiaddr>();
        foreach (var raw in info.Addresses)
        {
            try
            {
                var a = Multiaddr.Decode(raw);
                if (CircuitAddresses.IsRelayed(a) || (a.PeerId is { } id && !id.Equals(relay.RemotePeer)))
                {
                    continue;
                }

                relayAddresses.Add(a.PeerId is null ? a.WithPeerId(relay.RemotePeer) : a);
            }
            catch (MalformedInputException)
            {
                // An address in a format this node does not know: not one we can use.
            }
        }

        var reservation = new RelayReservation(
            relay.RemotePeer,
            DateTimeOffset.FromUnixTimeSeconds((long)info.Expire),
            relayAddresses,
            [.. relayAddresses.Select(a => CircuitAddresses.Build(a, _host.PeerId))],
            answer.Limit,
            voucher);
        _reservations[relay.RemotePeer] = reservation;
        return reservation;
    }

    /// <summary>
    /// Keeps a reservation with <paramref name="relay"/>: reserves now, then refreshes when three quarters of the
    /// remaining time have passed, until the connection closes or <paramref name="cancellationToken"/> fires.
    /// Each new reservation is reported through <paramref name="onReserved"/>.
    /// </summary>
    /// <exception cref="RelayRefusedException">The relay refused a reservation or a refresh.</exception>
    public async Task MaintainReservationAsync(Libp2pConnection relay, Action<RelayReservation>? onReserved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        while (!relay.IsClosed)
        {
            var reservation = await ReserveAsync(relay, cancellationToken).ConfigureAwait(false);
            onReserved?.Invoke(reservation);
            var wait = (reservation.Expires - DateTimeOffset.UtcNow) * 0.75;
            var closed = relay.Completion;
            var delay = Task.Delay(wait > TimeSpan.FromMilliseconds(500) ? wait : TimeSpan.FromMilliseconds(500), cancellationToken);
            if (await Task.WhenAny(closed, delay).ConfigureAwait(false) == closed)
            {
                break;
            }

            await delay.ConfigureAwait(false);
        }

        _reservations.TryRemove(relay.RemotePeer, out _);
    }

    public bool CanDial(Multiaddr address) => address is not null && CircuitAddresses.TrySplit(address) is not null;

    /// <summary>Connects to the target through the relay and upgrades the circuit (Noise proves the target).</summary>
    /// <exception cref="RelayRefusedException">The relay refused (e.g. the target holds no reservation).</exception>
    public async Task<Libp2pConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var (relayAddress, target) = CircuitAddresses.TrySplit(address) ?? throw new ArgumentException($"{address} is not a circuit address", nameof(address));
        if (target.Equals(_host.PeerId))
        {
            throw new ArgumentException("cannot dial ourselves through a relay", nameof(address));
        }

        var relay = await _host.DialAsync(relayAddress, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        var s = await _host.OpenStreamAsync(relay, [HopMessage.ProtocolId], timeout.Token).ConfigureAwait(false);
        try
        {
            var connect = new HopMessage(HopType.Connect) { Peer = new RelayPeer(target, []) };
            await LengthPrefixed.WriteAsync(s.Stream, connect.Encode(), timeout.Token).ConfigureAwait(false);
            CheckStatus(HopMessage.Decode(await LengthPrefixed.ReadAsync(s.Stream, HopMessage.MaxLength, timeout.Token).ConfigureAwait(false)));
        }
        catch
        {
            s.Stream.Reset();
            throw;
        }

        return await _host.UpgradeStreamAsync(s.Stream, relay.LocalAddress, address, ConnectionDirection.Outbound, target, cancellationToken).ConfigureAwait(false);
    }

    private static HopMessage CheckStatus(HopMessage answer)
    {
        if (answer.Type != HopType.Status || answer.Status is not { } status)
        {
            throw new MalformedInputException("the relay did not answer with a STATUS");
        }

        return status == RelayStatus.Ok ? answer : throw new RelayRefusedException(status, $"the relay refused: {status}");
    }

    private async Task HandleStopAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        var relay = context.Connection.RemotePeer;
        if (CircuitAddresses.IsRelayed(context.Connection.RemoteAddress))
        {
            await RefuseAsync(context, RelayStatus.PermissionDenied, "stop over a relayed connection", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_options.AcceptOnlyReservedRelays && !(_reservations.TryGetValue(relay, out var r) && r.Expires > DateTimeOffset.UtcNow))
        {
            await RefuseAsync(context, RelayStatus.PermissionDenied, "no reservation with this relay", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!_limiter.TryAcquire(relay))
        {
            await RefuseAsync(context, RelayStatus.ResourceLimitExceeded, "rate limited", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _inbound) > _options.MaxInboundCircuits)
        {
            Interlocked.Decrement(ref _inbound);
            await RefuseAsync(context, RelayStatus.ResourceLimitExceeded, "too many relayed connections", cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            StopMessage request;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.RequestTimeout);
                request = StopMessage.Decode(await LengthPrefixed.ReadAsync(context.Stream, StopMessage.MaxLength, timeout.Token).ConfigureAwait(false));
            }
            catch (MalformedInputException e)
            {
                await RefuseAsync(context, RelayStatus.MalformedMessage, e.Message, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (request.Type != StopType.Connect || request.Peer is null)
            {
                await RefuseAsync(context, RelayStatus.UnexpectedMessage, "expected CONNECT with a peer", cancellationToken).ConfigureAwait(false);
                return;
            }

            var source = request.Peer.Id;
            if (source.Equals(_host.PeerId) || source.Equals(relay))
            {
                await RefuseAsync(context, RelayStatus.PermissionDenied, "a circuit from ourselves or from the relay itself", cancellationToken).ConfigureAwait(false);
                return;
            }

            await LengthPrefixed.WriteAsync(context.Stream, new StopMessage(StopType.Status) { Status = RelayStatus.Ok }.Encode(), cancellationToken).ConfigureAwait(false);
            var remote = CircuitAddresses.Build(context.Connection.RemoteAddress.WithoutPeerId().WithPeerId(relay), source);
            var connection = await _host.UpgradeStreamAsync(context.Stream, context.Connection.LocalAddress, remote, ConnectionDirection.Inbound, source, cancellationToken).ConfigureAwait(false);
            RelayLog.InboundCircuit(_logger, source, relay);

            // The host disposes this stream when the handler returns, so stay until the relayed connection ends.
            await connection.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inbound);
        }
    }

    private async Task RefuseAsync(Libp2pStreamContext context, RelayStatus status, string reason, CancellationToken cancellationToken)
    {
        RelayLog.StopRefused(_logger, context.Connection.RemotePeer, status, reason);
        await LengthPrefixed.WriteAsync(context.Stream, new StopMessage(StopType.Status) { Status = status }.Encode(), cancellationToken).ConfigureAwait(false);
        await context.Stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }
}
