// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using Chhaya.P2p.AutoNat;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Protocols;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.Relay;

/// <summary>A relayed connection that ended, with how and how many bytes went each way.</summary>
public sealed record CircuitRecord(PeerId Source, PeerId Target, CircuitEnd End, long BytesUp, long BytesDown);

/// <summary>
/// The circuit relay v2 hop service (specs <c>relay/circuit-v2.md</c>, "Hop Protocol"): grants reservations
/// with a signed voucher, and on CONNECT opens a stop stream to a peer holding a reservation and bridges the
/// two streams under the advertised limits.
/// </summary>
/// <remarks>
/// Limits: hop requests per peer and globally (<see cref="RequestLimiter"/>); reservations in total and per IP;
/// reservations end at expiry or when the peer's last direct connection closes; relayed connections in total
/// and per peer; each relayed connection's duration and bytes per direction (<see cref="CircuitBridge"/>); no
/// hop service over relayed connections (no chains); request timeouts; messages bounded by the codecs.
/// </remarks>
public sealed class RelayServer
{
    private readonly Libp2pHost _host;
    private readonly Ed25519Identity _identity;
    private readonly RelayServerOptions _options;
    private readonly RequestLimiter _limiter;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<PeerId, (IPAddress? Ip, DateTimeOffset Expires)> _reservations = [];
    private readonly Dictionary<PeerId, int> _circuitsPerPeer = [];
    private int _circuits;

    /// <param name="host">The host that serves the hop protocol.</param>
    /// <param name="identity">The host's identity, which signs reservation vouchers.</param>
    /// <param name="options">Limits; defaults when null.</param>
    /// <param name="loggerFactory">Where log events go; none when null.</param>
    public RelayServer(Libp2pHost host, Ed25519Identity identity, RelayServerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(identity);
        if (!identity.PeerId.Equals(host.PeerId))
        {
            throw new ArgumentException("the identity must be the host's", nameof(identity));
        }

        _host = host;
        _identity = identity;
        _options = options ?? new RelayServerOptions();
        _limiter = new RequestLimiter(_options.MaxRequestsPerPeer, _options.MaxRequestsGlobal, _options.RateWindow);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p.Relay");
        host.ConnectionClosed += OnConnectionClosed;
        host.Router.Register(HopMessage.ProtocolId, HandleHopAsync);
    }

    /// <summary>Raised when a relayed connection ends.</summary>
    public event EventHandler<CircuitRecord>? CircuitEnded;

    public int ReservationCount
    {
        get
        {
            lock (_lock)
            {
                return _reservations.Count;
            }
        }
    }

    public int ActiveCircuits => Volatile.Read(ref _circuits);

    private RelayLimit? Limit
    {
        get
        {
            var seconds = (uint)Math.Min(uint.MaxValue, Math.Ceiling(_options.CircuitDuration.TotalSeconds));
            return seconds == 0 && _options.CircuitDataLimit == 0 ? null : new RelayLimit(seconds, _options.CircuitDataLimit);
        }
    }

    private async Task HandleHopAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        var peer = context.Connection.RemotePeer;
        if (CircuitAddresses.IsRelayed(context.Connection.RemoteAddress))
        {
            await RefuseAsync(context, RelayStatus.PermissionDenied, "no hop service over a relayed connection", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!_limiter.TryAcquire(peer))
        {
            await RefuseAsync(context, RelayStatus.ResourceLimitExceeded, "rate limited", cancellationToken).ConfigureAwait(false);
            return;
        }

        HopMessage request;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            request = HopMessage.Decode(await LengthPrefixed.ReadAsync(context.Stream, HopMessage.MaxLength, timeout.Token).ConfigureAwait(false));
        }
        catch (MalformedInputException e)
        {
            await RefuseAsync(context, RelayStatus.MalformedMessage, e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (request.Type)
        {
            case HopType.Reserve:
                await ReserveAsync(context, cancellationToken).ConfigureAwait(false);
                break;
            case HopType.Connect:
                await ConnectAsync(context, request, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await RefuseAsync(context, RelayStatus.UnexpectedMessage, "expected RESERVE or CONNECT", cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task ReserveAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        var peer = context.Connection.RemotePeer;
        var ip = AutoNatServer.ObservedIp(context.Connection.RemoteAddress);
        var now = DateTimeOffset.UtcNow;
        var expires = DateTimeOffset.FromUnixTimeSeconds((now + _options.ReservationTtl).ToUnixTimeSeconds());
        string? refusal = null;
        lock (_lock)
        {
            foreach (var (p, r) in _reservations.ToList())
            {
                if (r.Expires <= now)
                {
                    _reservations.Remove(p);
                }
            }

            if (!_reservations.ContainsKey(peer))
            {
                if (_reservations.Count >= _options.MaxReservations)
                {
                    refusal = "too many reservations";
                }
                else if (ip is not null && _reservations.Values.Count(r => ip.Equals(r.Ip)) >= _options.MaxReservationsPerIp)
                {
                    refusal = "too many reservations from this IP address";
                }
            }

            if (refusal is null)
            {
                _reservations[peer] = (ip, expires);
            }
        }

        if (refusal is not null)
        {
            await RefuseAsync(context, RelayStatus.ReservationRefused, refusal, cancellationToken).ConfigureAwait(false);
            return;
        }

        var expireUnix = (ulong)expires.ToUnixTimeSeconds();
        var voucher = new ReservationVoucher(_host.PeerId, peer, expireUnix).Seal(_identity);
        var addresses = _host.GetAnnounceAddresses().Select(a => a.Bytes.ToArray()).Take(RelayCodec.MaxAddresses).ToList();
        var reply = new HopMessage(HopType.Status)
        {
            Status = RelayStatus.Ok,
            Reservation = new RelayReservationInfo(expireUnix, addresses, voucher),
            Limit = Limit,
        };
        await LengthPrefixed.WriteAsync(context.Stream, reply.Encode(), cancellationToken).ConfigureAwait(false);
        RelayLog.Reserved(_logger, peer, expires);
    }

    private async Task ConnectAsync(Libp2pStreamContext context, HopMessage request, CancellationToken cancellationToken)
    {
        var source = context.Connection.RemotePeer;
        if (request.Peer?.Id is not { } target)
        {
            await RefuseAsync(context, RelayStatus.MalformedMessage, "CONNECT without a peer", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (target.Equals(source) || target.Equals(_host.PeerId))
        {
            await RefuseAsync(context, RelayStatus.PermissionDenied, "cannot relay to oneself or to the relay", cancellationToken).ConfigureAwait(false);
            return;
        }

        var targetConnection = HasReservation(target)
            ? _host.Connections.FirstOrDefault(c => c.RemotePeer.Equals(target) && !c.IsClosed && !CircuitAddresses.IsRelayed(c.RemoteAddress))
            : null;
        if (targetConnection is null)
        {
            await RefuseAsync(context, RelayStatus.NoReservation, "the target holds no reservation", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!TryTakeCircuit(source, target))
        {
            await RefuseAsync(context, RelayStatus.ResourceLimitExceeded, "too many relayed connections", cancellationToken).ConfigureAwait(false);
            return;
        }

        OutboundStreamHandle? stop = null;
        try
        {
            stop = await OpenStopAsync(targetConnection, source, cancellationToken).ConfigureAwait(false);
            if (stop is null)
            {
                await RefuseAsync(context, RelayStatus.ConnectionFailed, "the target did not accept", cancellationToken).ConfigureAwait(false);
                return;
            }

            var ok = new HopMessage(HopType.Status) { Status = RelayStatus.Ok, Limit = Limit };
            await LengthPrefixed.WriteAsync(context.Stream, ok.Encode(), cancellationToken).ConfigureAwait(false);
            RelayLog.CircuitOpened(_logger, source, target);
            var (end, up, down) = await CircuitBridge.RunAsync(context.Stream, stop.Stream, _options.CircuitDataLimit, _options.CircuitDuration, cancellationToken).ConfigureAwait(false);
            RelayLog.CircuitClosed(_logger, source, target, end, up, down);
            CircuitEnded?.Invoke(this, new CircuitRecord(source, target, end, up, down));
        }
        finally
        {
            ReleaseCircuit(source, target);
            if (stop is not null)
            {
                await stop.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<OutboundStreamHandle?> OpenStopAsync(Libp2pConnection target, PeerId source, CancellationToken cancellationToken)
    {
        OutboundStreamHandle? stop = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            stop = await _host.OpenStreamAsync(target, [StopMessage.ProtocolId], timeout.Token).ConfigureAwait(false);
            var connect = new StopMessage(StopType.Connect) { Peer = new RelayPeer(source, []), Limit = Limit };
            await LengthPrefixed.WriteAsync(stop.Stream, connect.Encode(), timeout.Token).ConfigureAwait(false);
            var answer = StopMessage.Decode(await LengthPrefixed.ReadAsync(stop.Stream, StopMessage.MaxLength, timeout.Token).ConfigureAwait(false));
            if (answer.Type == StopType.Status && answer.Status == RelayStatus.Ok)
            {
                return stop;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or MalformedInputException
            or ProtocolNotSupportedException or OperationCanceledException or ObjectDisposedException)
        {
            // Reported to the initiator as CONNECTION_FAILED.
        }

        stop?.Stream.Reset();
        return null;
    }

    private bool HasReservation(PeerId peer)
    {
        lock (_lock)
        {
            return _reservations.TryGetValue(peer, out var r) && r.Expires > DateTimeOffset.UtcNow;
        }
    }

    private bool TryTakeCircuit(PeerId source, PeerId target)
    {
        lock (_lock)
        {
            if (_circuits >= _options.MaxCircuits
                || _circuitsPerPeer.GetValueOrDefault(source) >= _options.MaxCircuitsPerPeer
                || _circuitsPerPeer.GetValueOrDefault(target) >= _options.MaxCircuitsPerPeer)
            {
                return false;
            }

            _circuits++;
            _circuitsPerPeer[source] = _circuitsPerPeer.GetValueOrDefault(source) + 1;
            _circuitsPerPeer[target] = _circuitsPerPeer.GetValueOrDefault(target) + 1;
            return true;
        }
    }

    private void ReleaseCircuit(PeerId source, PeerId target)
    {
        lock (_lock)
        {
            _circuits--;
            foreach (var p in new[] { source, target })
            {
                if (--_circuitsPerPeer[p] == 0)
                {
                    _circuitsPerPeer.Remove(p);
                }
            }
        }
    }

    private void OnConnectionClosed(object? sender, Libp2pConnection connection)
    {
        // A reservation lives only while the peer stays connected (spec, "Reservation").
        var peer = connection.RemotePeer;
        if (_host.Connections.Any(c => c.RemotePeer.Equals(peer) && !c.IsClosed && !CircuitAddresses.IsRelayed(c.RemoteAddress)))
        {
            return;
        }

        lock (_lock)
        {
            _reservations.Remove(peer);
        }
    }

    private async Task RefuseAsync(Libp2pStreamContext context, RelayStatus status, string reason, CancellationToken cancellationToken)
    {
        RelayLog.Refused(_logger, context.Connection.RemotePeer, status, reason);
        await LengthPrefixed.WriteAsync(context.Stream, new HopMessage(HopType.Status) { Status = status }.Encode(), cancellationToken).ConfigureAwait(false);
        await context.Stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }
}
