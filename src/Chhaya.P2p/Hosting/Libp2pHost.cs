// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Noise;
using Chhaya.P2p.Protocols;
using Chhaya.P2p.Transport;
using Chhaya.P2p.Yamux;
using Chhaya.Safety;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.Hosting;

/// <summary>
/// A libp2p host: listens and dials over TCP, upgrades each connection (multistream-select -> Noise ->
/// Yamux, with early muxer negotiation when both sides offer it), answers identify, identify push and ping,
/// and routes other inbound streams through <see cref="Router"/>. It enforces the limits in
/// <see cref="Libp2pHostOptions"/>: handshake timeout and concurrency, connection caps in total and per peer,
/// trimming of idle connections, dial back-off, and the Yamux limits. It is an <see cref="IHostedService"/>.
/// </summary>
public sealed class Libp2pHost : IHostedService, IAsyncDisposable
{
    public const string YamuxProtocolId = "/yamux/1.0.0";

    private static readonly string[] Muxers = [YamuxProtocolId];

    private readonly Libp2pHostOptions _options;
    private readonly ILogger _logger;
    private readonly P2pMetrics _metrics;
    private readonly bool _ownsMetrics;
    private readonly TcpTransport _transport = new TcpTransport();
    private readonly List<ITransportListener> _listeners = [];
    private readonly ConcurrentDictionary<Libp2pConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<Multiaddr, (int Failures, DateTimeOffset Until)> _backoff = new();
    private readonly SemaphoreSlim _pendingHandshakes;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _acceptLoops = [];
    private readonly List<IConnectionDialer> _dialers = [];
    private int _stopped;
    private int _disposed;

    public Libp2pHost(Libp2pHostOptions options, ILoggerFactory? loggerFactory = null, P2pMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p");
        _ownsMetrics = metrics is null;
        _metrics = metrics ?? new P2pMetrics();
        _pendingHandshakes = new SemaphoreSlim(options.MaxPendingHandshakes, options.MaxPendingHandshakes);
        Router.Register(IdentifyProtocol.ProtocolId, HandleIdentifyAsync);
        Router.Register(IdentifyProtocol.PushProtocolId, HandleIdentifyPushAsync);
        Router.Register(PingProtocol.ProtocolId, (ctx, ct) => PingProtocol.ServeAsync(ctx.Stream, _options.PingStreamIdleTimeout, ct));
        Router.Changed += (_, _) => _ = PushIdentifyQuietlyAsync();
    }

    public PeerId PeerId => _options.Identity.PeerId;

    public ProtocolRouter Router { get; } = new();

    /// <summary>The bound listen addresses (with real ports), without the <c>/p2p</c> suffix.</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses
    {
        get
        {
            lock (_listeners)
            {
                return [.. _listeners.Select(l => l.LocalAddress)];
            }
        }
    }

    public IReadOnlyCollection<Libp2pConnection> Connections => [.. _connections.Keys];

    /// <summary>
    /// The full addresses to print or share (<c>/ip4/…/tcp/…/p2p/PEER</c>): listen addresses on 0.0.0.0 or ::
    /// are expanded to this machine's interface addresses of that family.
    /// </summary>
    public IReadOnlyList<Multiaddr> GetAnnounceAddresses()
    {
        var result = new List<Multiaddr>();
        foreach (var listen in ListenAddresses)
        {
            var (host, port) = listen.TryGetTcpTarget()!.Value;
            var ip = System.Net.IPAddress.Parse(host);
            if (!ip.Equals(System.Net.IPAddress.Any) && !ip.Equals(System.Net.IPAddress.IPv6Any))
            {
                result.Add(listen.WithPeerId(PeerId));
                continue;
            }

            foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != System.Net.NetworkInformation.OperationalStatus.Up)
                {
                    continue;
                }

                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (unicast.Address.AddressFamily == ip.AddressFamily && !unicast.Address.IsIPv6LinkLocal)
                    {
                        result.Add(Multiaddr.FromTcpEndPoint(new System.Net.IPEndPoint(unicast.Address, port)).WithPeerId(PeerId));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Raised after a connection is upgraded and registered (before identify completes).</summary>
    public event EventHandler<Libp2pConnection>? ConnectionOpened;

    /// <summary>Raised after a connection has closed.</summary>
    public event EventHandler<Libp2pConnection>? ConnectionClosed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var address in _options.ListenAddresses)
        {
            var listener = _transport.Listen(address);
            lock (_listeners)
            {
                _listeners.Add(listener);
            }

            var announced = listener.LocalAddress.WithPeerId(PeerId);
            P2pLog.Listening(_logger, PeerId, announced);
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The generic host and the DI container may both stop/dispose the same instance.
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        ITransportListener[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
            _listeners.Clear();
        }

        foreach (var l in listeners)
        {
            await l.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_connections.Keys.Select(c => c.CloseAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_acceptLoops).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down anyway.
        }

        if (_ownsMetrics)
        {
            _metrics.Dispose();
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// Dials <paramref name="address"/> (<c>/ip4|ip6|dns*/.../tcp/PORT[/p2p/PEER]</c>). With a <c>/p2p</c> part,
    /// an existing connection to that peer is reused and the handshake checks the peer's identity.
    /// </summary>
    /// <exception cref="DialBackoffException">Earlier dials to this address failed recently.</exception>
    public async Task<Libp2pConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var expected = address.PeerId;
        if (expected is not null && _connections.Keys.FirstOrDefault(c => c.RemotePeer.Equals(expected) && !c.IsClosed) is { } existing)
        {
            return existing;
        }

        if (expected is not null && expected.Equals(PeerId))
        {
            throw new ArgumentException("cannot dial ourselves", nameof(address));
        }

        IConnectionDialer? dialer;
        lock (_dialers)
        {
            dialer = _dialers.FirstOrDefault(d => d.CanDial(address));
        }

        if (dialer is not null)
        {
            return await dialer.DialAsync(address, cancellationToken).ConfigureAwait(false);
        }

        var bare = address.WithoutPeerId();
        if (_backoff.TryGetValue(bare, out var b) && b.Until > DateTimeOffset.UtcNow)
        {
            throw new DialBackoffException($"dials to {bare} failed {b.Failures} times; next try after {b.Until:O}");
        }

        if (!_transport.CanDial(address))
        {
            throw new ArgumentException($"no transport can dial {address}", nameof(address));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(_options.HandshakeTimeout);
        RawConnection? raw = null;
        try
        {
            raw = await _transport.DialAsync(address, timeout.Token).ConfigureAwait(false);
            var connection = await UpgradeAsync(raw, ConnectionDirection.Outbound, expected, timeout.Token).ConfigureAwait(false);
            _backoff.TryRemove(bare, out _);
            return connection;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MalformedInputException or NoiseHandshakeException or ProtocolNotSupportedException or OperationCanceledException)
        {
            if (raw is not null)
            {
                await raw.Stream.DisposeAsync().ConfigureAwait(false);
            }

            var failures = _backoff.TryGetValue(bare, out var prev) ? prev.Failures + 1 : 1;
            var delay = TimeSpan.FromTicks(Math.Min(_options.MaxDialBackoff.Ticks, _options.DialBackoff.Ticks << Math.Min(failures - 1, 20)));
            _backoff[bare] = (failures, DateTimeOffset.UtcNow + delay);
            _metrics.HandshakeFailures.Add(1, new KeyValuePair<string, object?>("reason", e.GetType().Name));
            P2pLog.HandshakeFailed(_logger, address, e.Message);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"dialing {address} did not complete within {_options.HandshakeTimeout}", e);
            }

            throw;
        }
    }

    /// <summary>
    /// Adds a dialer for addresses the TCP transport cannot dial (e.g. <c>/p2p-circuit</c>); <see cref="DialAsync"/>
    /// asks the dialers, in the order added, before TCP.
    /// </summary>
    public void AddDialer(IConnectionDialer dialer)
    {
        ArgumentNullException.ThrowIfNull(dialer);
        lock (_dialers)
        {
            _dialers.Add(dialer);
        }
    }

    /// <summary>
    /// Upgrades an already open byte stream (e.g. a relayed circuit) exactly like a new TCP connection
    /// (multistream-select, Noise, Yamux), under the handshake timeout, and registers the connection. The
    /// connection owns <paramref name="stream"/>; it is disposed if the upgrade fails.
    /// </summary>
    /// <param name="stream">The byte stream to secure and multiplex.</param>
    /// <param name="localAddress">Our address on it.</param>
    /// <param name="remoteAddress">The peer's address on it (e.g. <c>.../p2p/RELAY/p2p-circuit/p2p/PEER</c>).</param>
    /// <param name="direction">Outbound when we initiate the security handshake.</param>
    /// <param name="expectedPeer">When set, the Noise handshake must prove this identity.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    public async Task<Libp2pConnection> UpgradeStreamAsync(Stream stream, Multiaddr localAddress, Multiaddr remoteAddress, ConnectionDirection direction, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            return await UpgradeAsync(new RawConnection(stream, localAddress, remoteAddress), direction, expectedPeer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            _metrics.HandshakeFailures.Add(1, new KeyValuePair<string, object?>("reason", e.GetType().Name));
            P2pLog.HandshakeFailed(_logger, remoteAddress, e.Message);
            throw;
        }
    }

    /// <summary>Opens a stream and negotiates the first of <paramref name="protocols"/> the peer supports.</summary>
    /// <exception cref="ProtocolNotSupportedException">The peer supports none of them.</exception>
    public async Task<OutboundStreamHandle> OpenStreamAsync(Libp2pConnection connection, IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var stream = await connection.Session.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        _metrics.StreamsOpened.Add(1, new KeyValuePair<string, object?>("direction", "outbound"));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.StreamNegotiationTimeout);
            var protocol = await MultistreamSelect.SelectAsync(stream, protocols, timeout.Token).ConfigureAwait(false);
            return new OutboundStreamHandle(protocol, stream);
        }
        catch
        {
            stream.Reset();
            throw;
        }
    }

    /// <summary>Runs one libp2p ping (<c>/ipfs/ping/1.0.0</c>) and returns the round-trip time.</summary>
    public async Task<TimeSpan> PingAsync(Libp2pConnection connection, CancellationToken cancellationToken)
    {
        var s = await OpenStreamAsync(connection, [PingProtocol.ProtocolId], cancellationToken).ConfigureAwait(false);
        await using (s.ConfigureAwait(false))
        {
            return await PingProtocol.PingOnceAsync(s.Stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the peer for its identify record and stores it on the connection.</summary>
    /// <exception cref="MalformedInputException">The reply is malformed or its key is not the peer's.</exception>
    public async Task<IdentifyInfo> IdentifyAsync(Libp2pConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var s = await OpenStreamAsync(connection, [IdentifyProtocol.ProtocolId], cancellationToken).ConfigureAwait(false);
        byte[] bytes;
        await using (s.ConfigureAwait(false))
        {
            bytes = await LengthPrefixed.ReadAsync(s.Stream, IdentifyInfo.MaxLength, cancellationToken).ConfigureAwait(false);
        }

        var info = CheckIdentify(connection, IdentifyInfo.Decode(bytes));
        connection.SetIdentify(info);
        P2pLog.Identified(_logger, connection.RemotePeer, info.AgentVersion, info.Protocols.Count);
        return info;
    }

    /// <summary>Sends our current identify record to every connected peer (identify push).</summary>
    public async Task PushIdentifyAsync(CancellationToken cancellationToken)
    {
        foreach (var c in _connections.Keys)
        {
            try
            {
                var s = await OpenStreamAsync(c, [IdentifyProtocol.PushProtocolId], cancellationToken).ConfigureAwait(false);
                await using (s.ConfigureAwait(false))
                {
                    await LengthPrefixed.WriteAsync(s.Stream, OurIdentify(c).Encode(), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or MalformedInputException or ProtocolNotSupportedException or OperationCanceledException)
            {
                P2pLog.IdentifyFailed(_logger, c.RemotePeer, e.Message);
            }
        }
    }

    private IdentifyInfo OurIdentify(Libp2pConnection connection) => new(
        _options.Identity.PublicKey,
        _options.ProtocolVersion,
        _options.AgentVersion,
        ListenAddresses,
        Router.Protocols,
        connection.RemoteAddress);

    private static IdentifyInfo CheckIdentify(Libp2pConnection connection, IdentifyInfo info)
    {
        if (info.PublicKey is not null && !connection.RemotePeer.Matches(info.PublicKey))
        {
            throw new MalformedInputException("identify carries a public key that is not the peer's");
        }

        return info;
    }

    private async Task HandleIdentifyAsync(Libp2pStreamContext ctx, CancellationToken cancellationToken) =>
        await LengthPrefixed.WriteAsync(ctx.Stream, OurIdentify(ctx.Connection).Encode(), cancellationToken).ConfigureAwait(false);

    private async Task HandleIdentifyPushAsync(Libp2pStreamContext ctx, CancellationToken cancellationToken)
    {
        var bytes = await LengthPrefixed.ReadAsync(ctx.Stream, IdentifyInfo.MaxLength, cancellationToken).ConfigureAwait(false);
        var info = CheckIdentify(ctx.Connection, IdentifyInfo.Decode(bytes));
        ctx.Connection.SetIdentify(info);
        P2pLog.Identified(_logger, ctx.Connection.RemotePeer, info.AgentVersion, info.Protocols.Count);
    }

    private async Task PushIdentifyQuietlyAsync()
    {
        if (_connections.IsEmpty || _stopping.IsCancellationRequested)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await PushIdentifyAsync(timeout.Token).ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync(ITransportListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            RawConnection raw;
            try
            {
                raw = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                P2pLog.AcceptFailed(_logger, listener.LocalAddress, e.Message);
                continue;
            }

            if (_connections.Count >= _options.MaxConnections || !_pendingHandshakes.Wait(0))
            {
                P2pLog.InboundRefused(_logger, raw.RemoteAddress, "connection or pending-handshake limit reached");
                await raw.Stream.DisposeAsync().ConfigureAwait(false);
                continue;
            }

            _ = Task.Run(() => HandleInboundAsync(raw));
        }
    }

    private async Task HandleInboundAsync(RawConnection raw)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.HandshakeTimeout);
            await UpgradeAsync(raw, ConnectionDirection.Inbound, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MalformedInputException or NoiseHandshakeException or ProtocolNotSupportedException or OperationCanceledException or ObjectDisposedException)
        {
            await raw.Stream.DisposeAsync().ConfigureAwait(false);
            var reason = e is OperationCanceledException ? "handshake timed out" : e.Message;
            _metrics.HandshakeFailures.Add(1, new KeyValuePair<string, object?>("reason", e.GetType().Name));
            P2pLog.HandshakeFailed(_logger, raw.RemoteAddress, reason);
        }
        finally
        {
            _pendingHandshakes.Release();
        }
    }

    private async Task<Libp2pConnection> UpgradeAsync(RawConnection raw, ConnectionDirection direction, PeerId? expected, CancellationToken cancellationToken)
    {
        var outbound = direction == ConnectionDirection.Outbound;

        // 1. Security protocol over multistream-select.
        if (outbound)
        {
            await MultistreamSelect.SelectAsync(raw.Stream, [NoiseUpgrader.ProtocolId], cancellationToken).ConfigureAwait(false);
        }
        else if (await MultistreamSelect.ListenAsync(raw.Stream, p => p == NoiseUpgrader.ProtocolId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ProtocolNotSupportedException([NoiseUpgrader.ProtocolId]);
        }

        // 2. Noise, with the muxer offered in the handshake payload.
        var noise = await NoiseUpgrader.HandshakeAsync(
            raw.Stream,
            outbound,
            _options.Identity,
            expected,
            Muxers,
            n => _metrics.BytesReceived.Add(n),
            n => _metrics.BytesSent.Add(n),
            cancellationToken).ConfigureAwait(false);

        try
        {
            // 3. Muxer: early negotiation, or multistream-select inside the secure channel.
            var muxer = noise.EarlyMuxer;
            if (muxer is null)
            {
                if (outbound)
                {
                    muxer = await MultistreamSelect.SelectAsync(noise.Stream, Muxers, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    muxer = await MultistreamSelect.ListenAsync(noise.Stream, p => p == YamuxProtocolId, cancellationToken).ConfigureAwait(false)
                        ?? throw new ProtocolNotSupportedException(Muxers);
                }
            }

            if (muxer != YamuxProtocolId)
            {
                throw new ProtocolNotSupportedException(Muxers);
            }

            var session = new YamuxSession(noise.Stream, isClient: outbound, _options.Yamux);
            var connection = new Libp2pConnection(noise.RemotePeer, noise.RemoteKey, raw.LocalAddress, raw.RemoteAddress, direction, muxer, session);
            Register(connection);
            return connection;
        }
        catch
        {
            await noise.Stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Register(Libp2pConnection connection)
    {
        var peer = connection.RemotePeer;
        if (_connections.Keys.Count(c => c.RemotePeer.Equals(connection.RemotePeer)) >= _options.MaxConnectionsPerPeer)
        {
            _ = connection.Session.CloseAsync();
            throw new IOException($"already {_options.MaxConnectionsPerPeer} connections with {peer}");
        }

        _connections[connection] = 0;
        var direction = connection.Direction == ConnectionDirection.Inbound ? "inbound" : "outbound";
        _metrics.ConnectionsOpened.Add(1, new KeyValuePair<string, object?>("direction", direction));
        _metrics.ConnectionsActive.Add(1);
        P2pLog.ConnectionEstablished(_logger, direction, peer, connection.RemoteAddress, connection.Muxer);

        connection.Session.Start();
        _ = Task.Run(() => StreamAcceptLoopAsync(connection));
        _ = connection.Completion.ContinueWith(
            t => OnClosed(connection, t.Result),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        if (_options.IdentifyOnConnect)
        {
            _ = Task.Run(() => IdentifyQuietlyAsync(connection));
        }

        ConnectionOpened?.Invoke(this, connection);
        TrimConnections();
    }

    private void OnClosed(Libp2pConnection connection, Exception? reason)
    {
        if (!_connections.TryRemove(connection, out _))
        {
            return;
        }

        _metrics.ConnectionsClosed.Add(1);
        _metrics.ConnectionsActive.Add(-1);
        if (reason is YamuxProtocolException)
        {
            _metrics.ProtocolErrors.Add(1);
            P2pLog.YamuxProtocolError(_logger, connection.RemotePeer, reason.Message);
        }

        P2pLog.ConnectionClosed(_logger, connection.RemotePeer, reason?.Message ?? "closed");
        connection.FailIdentify(new IOException("connection closed before identify completed", reason));
        ConnectionClosed?.Invoke(this, connection);
    }

    private void TrimConnections()
    {
        var count = _connections.Count;
        if (count <= _options.HighWater)
        {
            return;
        }

        foreach (var c in _connections.Keys.Where(c => c.Session.StreamCount == 0).OrderBy(c => c.OpenedAt).Take(count - _options.LowWater))
        {
            P2pLog.Trimming(_logger, c.RemotePeer, "over the connection high-water mark");
            _ = c.CloseAsync();
        }
    }

    private async Task IdentifyQuietlyAsync(Libp2pConnection connection)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.HandshakeTimeout);
            await IdentifyAsync(connection, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or MalformedInputException or ProtocolNotSupportedException or OperationCanceledException)
        {
            connection.FailIdentify(e);
            P2pLog.IdentifyFailed(_logger, connection.RemotePeer, e.Message);
        }
    }

    private async Task StreamAcceptLoopAsync(Libp2pConnection connection)
    {
        while (true)
        {
            YamuxStream? stream;
            try
            {
                // WaitForStreamAsync returns false when the session ends, without throwing.
                if (!await connection.Session.WaitForStreamAsync(_stopping.Token).ConfigureAwait(false))
                {
                    return;
                }

                if (!connection.Session.TryAcceptStream(out stream) || stream is null)
                {
                    continue;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _metrics.StreamsOpened.Add(1, new KeyValuePair<string, object?>("direction", "inbound"));
            _ = Task.Run(() => HandleStreamAsync(connection, stream));
        }
    }

    private async Task HandleStreamAsync(Libp2pConnection connection, YamuxStream stream)
    {
        var protocol = "(negotiating)";
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                timeout.CancelAfter(_options.StreamNegotiationTimeout);
                protocol = await MultistreamSelect.ListenAsync(stream, Router.Supports, timeout.Token).ConfigureAwait(false) ?? "";
            }

            if (protocol.Length == 0 || Router.Find(protocol) is not { } handler)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                return;
            }

            await handler(new Libp2pStreamContext(connection, protocol, stream), _stopping.Token).ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler's failure, whatever it is, must end only its stream, never the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            P2pLog.StreamHandlerFailed(_logger, protocol, connection.RemotePeer, e.Message);
            stream.Reset();
        }
    }
}
