// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.AutoNat;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Noise;
using Chhaya.P2p.Protocols;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.Relay;

/// <summary>
/// Direct Connection Upgrade through Relay (specs <c>relay/DCUtR.md</c>): when a relayed connection arrives
/// (we are its inbound side, "B"), we open <c>/libp2p/dcutr</c> on it, send CONNECT with our addresses, time the
/// round trip to the peer's CONNECT, send SYNC, wait half the round trip and dial the peer's addresses; the peer
/// ("A") dials ours as soon as SYNC arrives, so both dials leave at about the same time (the hole punch). Up to
/// <see cref="DcutrOptions.MaxAttempts"/> rounds run on the one stream. When a direct connection exists, the
/// relayed one is closed after <see cref="DcutrOptions.RelayedGracePeriod"/>.
/// </summary>
/// <remarks>
/// A peer chooses the addresses we dial, so: the protocol runs only on relayed connections, is rate-limited per
/// peer and globally, dials at most <see cref="DcutrOptions.MaxDialAddresses"/> TCP addresses per round (never
/// relayed ones, never one naming another peer), each under a timeout, and a dial counts only if its Noise
/// handshake proves the same peer. Our own addresses are sent as the host announces them; there is no
/// prediction of NAT-mapped ports and no unilateral upgrade attempt first.
/// </remarks>
public sealed class DcutrService
{
    private readonly Libp2pHost _host;
    private readonly DcutrOptions _options;
    private readonly RequestLimiter _limiter;
    private readonly ILogger _logger;

    public DcutrService(Libp2pHost host, DcutrOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _options = options ?? new DcutrOptions();
        Guard.InRange(_options.MaxAttempts, 1, 10);
        _limiter = new RequestLimiter(_options.MaxRequestsPerPeer, _options.MaxRequestsGlobal, _options.RateWindow);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p.Relay");
        host.Router.Register(HolePunchMessage.ProtocolId, HandleAsync);
        host.ConnectionOpened += OnConnectionOpened;
    }

    /// <summary>Raised with the new direct connection when an upgrade succeeded (on both sides).</summary>
    public event EventHandler<Libp2pConnection>? DirectConnectionEstablished;

    /// <summary>Runs the upgrade as the inbound side of <paramref name="relayed"/>; null when every round failed.</summary>
    public async Task<Libp2pConnection?> UpgradeAsync(Libp2pConnection relayed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayed);
        var peer = relayed.RemotePeer;
        var s = await _host.OpenStreamAsync(relayed, [HolePunchMessage.ProtocolId], cancellationToken).ConfigureAwait(false);
        await using (s.ConfigureAwait(false))
        {
            for (var attempt = 0; attempt < _options.MaxAttempts; attempt++)
            {
                var clock = Stopwatch.StartNew();
                await WriteAsync(s.Stream, new HolePunchMessage(HolePunchType.Connect, OurAddresses()), cancellationToken).ConfigureAwait(false);
                var theirs = await ReadAsync(s.Stream, cancellationToken).ConfigureAwait(false);
                var rtt = clock.Elapsed;
                if (theirs.Type != HolePunchType.Connect)
                {
                    throw new MalformedInputException("expected the peer's CONNECT");
                }

                await WriteAsync(s.Stream, new HolePunchMessage(HolePunchType.Sync, []), cancellationToken).ConfigureAwait(false);
                await Task.Delay(rtt / 2, cancellationToken).ConfigureAwait(false);
                if (await DialAnyAsync(peer, theirs.Addresses, cancellationToken).ConfigureAwait(false) is { } direct)
                {
                    Migrate(relayed, direct);
                    return direct;
                }
            }
        }

        return null;
    }

    private void OnConnectionOpened(object? sender, Libp2pConnection connection)
    {
        if (connection.Direction == ConnectionDirection.Inbound && CircuitAddresses.IsRelayed(connection.RemoteAddress))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(_options.MessageTimeout * (_options.MaxAttempts + 1));
                    await UpgradeAsync(connection, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or MalformedInputException or ProtocolNotSupportedException
                    or OperationCanceledException or ObjectDisposedException)
                {
                    DcutrLog.Failed(_logger, connection.RemotePeer, e.Message);
                }
            });
        }
    }

    private async Task HandleAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        var relayed = context.Connection;
        if (!CircuitAddresses.IsRelayed(relayed.RemoteAddress) || !_limiter.TryAcquire(relayed.RemotePeer))
        {
            return;
        }

        for (var attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            var connect = await ReadAsync(context.Stream, cancellationToken).ConfigureAwait(false);
            if (connect.Type != HolePunchType.Connect)
            {
                return;
            }

            await WriteAsync(context.Stream, new HolePunchMessage(HolePunchType.Connect, OurAddresses()), cancellationToken).ConfigureAwait(false);
            if ((await ReadAsync(context.Stream, cancellationToken).ConfigureAwait(false)).Type != HolePunchType.Sync)
            {
                return;
            }

            if (await DialAnyAsync(relayed.RemotePeer, connect.Addresses, cancellationToken).ConfigureAwait(false) is { } direct)
            {
                Migrate(relayed, direct);
                return;
            }
        }
    }

    private List<byte[]> OurAddresses() =>
        [.. _host.GetAnnounceAddresses()
            .Where(a => !CircuitAddresses.IsRelayed(a))
            .Select(a => a.WithoutPeerId().Bytes.ToArray())
            .Take(RelayCodec.MaxAddresses)];

    private async Task<Libp2pConnection?> DialAnyAsync(PeerId peer, IReadOnlyList<byte[]> addresses, CancellationToken cancellationToken)
    {
        var targets = new List<Multiaddr>();
        foreach (var raw in addresses)
        {
            try
            {
                var a = Multiaddr.Decode(raw);
                if (CircuitAddresses.IsRelayed(a) || (a.PeerId is { } id && !id.Equals(peer)))
                {
                    continue;
                }

                var bare = a.WithoutPeerId();
                if (bare.Components.Count == 2 && bare.TryGetTcpTarget() is not null && !targets.Contains(bare))
                {
                    targets.Add(bare);
                }
            }
            catch (MalformedInputException)
            {
                // Not an address we can dial.
            }

            if (targets.Count == _options.MaxDialAddresses)
            {
                break;
            }
        }

        foreach (var target in targets)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.DialTimeout);
            try
            {
                // Without /p2p the host dials afresh instead of returning the relayed connection; Noise names the peer.
                var connection = await _host.DialAsync(target, timeout.Token).ConfigureAwait(false);
                if (connection.RemotePeer.Equals(peer))
                {
                    return connection;
                }

                await connection.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or System.Net.Sockets.SocketException
                or MalformedInputException or NoiseHandshakeException or ProtocolNotSupportedException or OperationCanceledException
                or TimeoutException)
            {
                // Try the next address.
            }
        }

        return null;
    }

    private void Migrate(Libp2pConnection relayed, Libp2pConnection direct)
    {
        DcutrLog.Upgraded(_logger, direct.RemotePeer, direct.RemoteAddress);
        DirectConnectionEstablished?.Invoke(this, direct);
        _ = Task.Delay(_options.RelayedGracePeriod).ContinueWith(_ => relayed.CloseAsync(), TaskScheduler.Default);
    }

    private async Task<HolePunchMessage> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.MessageTimeout);
        return HolePunchMessage.Decode(await LengthPrefixed.ReadAsync(stream, HolePunchMessage.MaxLength, timeout.Token).ConfigureAwait(false));
    }

    private static Task WriteAsync(Stream stream, HolePunchMessage message, CancellationToken cancellationToken) =>
        LengthPrefixed.WriteAsync(stream, message.Encode(), cancellationToken);
}
