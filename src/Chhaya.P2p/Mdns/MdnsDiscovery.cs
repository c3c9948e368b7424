// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading.Channels;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Safety;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.Mdns;

/// <summary>
/// libp2p mDNS peer discovery over IPv4 (224.0.0.251:5353): queries <c>_p2p._udp.local PTR</c> at start and
/// every <see cref="MdnsOptions.QueryInterval"/>, answers every such query (its own included, so that listeners
/// learn of us passively, as the spec asks) and reports the peers that others announce through
/// <see cref="PeerDiscovered"/> and <see cref="Discovered"/>. Our own responses are recognised by peer id and
/// ignored. It does nothing unless <see cref="MdnsOptions.Enabled"/> is set.
/// </summary>
/// <remarks>
/// Limits: inbound packets per second (the rest are dropped before decoding), one multicast response per second
/// at most (RFC 6762 §6; a query inside that second is answered when it ends), a bounded peer table and a bounded
/// event channel. A peer is reported again only when its addresses change or its entry expired.
/// </remarks>
public sealed class MdnsDiscovery : IHostedService, IAsyncDisposable
{
    private static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");
    private static readonly TimeSpan MinResponseInterval = TimeSpan.FromSeconds(1);

    private readonly MdnsOptions _options;
    private readonly PeerId _self;
    private readonly Func<IReadOnlyList<Multiaddr>> _addresses;
    private readonly ILogger _logger;
    private readonly string _peerName = MdnsMessages.NewPeerName();
    private readonly ConcurrentDictionary<PeerId, (string Key, DateTimeOffset Expires)> _peers = new();
    private readonly Channel<MdnsPeer> _channel = Channel.CreateBounded<MdnsPeer>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _sendLock = new();
    private readonly List<Task> _loops = [];
    private List<(string Name, int Index)> _interfaces = [];
    private Socket? _socket;
    private long _windowStart;
    private int _windowCount;
    private long _droppedPackets;
    private long _lastResponse;
    private int _responsePending;
    private int _stopped;

    /// <param name="options">Settings; nothing happens unless <see cref="MdnsOptions.Enabled"/>.</param>
    /// <param name="self">Our peer id: responses carrying it are our own and are ignored.</param>
    /// <param name="addresses">Our current addresses, asked for on every response.</param>
    /// <param name="loggerFactory">Where log events go; none when null.</param>
    public MdnsDiscovery(MdnsOptions options, PeerId self, Func<IReadOnlyList<Multiaddr>> addresses, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(addresses);
        Guard.InRange(options.MaxPacketsPerSecond, 1, 100_000);
        Guard.InRange(options.MaxPeers, 1, 1_000_000);
        if (options.QueryInterval < TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentException("the query interval must be at least 100 ms", nameof(options));
        }

        _options = options;
        _self = self;
        _addresses = addresses;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p.Mdns");
    }

    /// <summary>Discovery for <paramref name="host"/>, announcing its <see cref="Libp2pHost.GetAnnounceAddresses"/>.</summary>
    public MdnsDiscovery(MdnsOptions options, Libp2pHost host, ILoggerFactory? loggerFactory = null)
        : this(options, (host ?? throw new ArgumentNullException(nameof(host))).PeerId, host.GetAnnounceAddresses, loggerFactory)
    {
    }

    /// <summary>Raised for each newly discovered peer (or one whose addresses changed), on the receive loop.</summary>
    public event EventHandler<MdnsPeer>? PeerDiscovered;

    /// <summary>The same discoveries as a channel (the oldest are dropped when 64 are unread).</summary>
    public ChannelReader<MdnsPeer> Discovered => _channel.Reader;

    /// <summary>Inbound packets dropped by the rate limit.</summary>
    public long DroppedPackets => Interlocked.Read(ref _droppedPackets);

    /// <summary>Whether the service is sending and listening.</summary>
    public bool IsRunning => _socket is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return Task.CompletedTask;
        }

        _interfaces = SelectInterfaces();
        if (_interfaces.Count == 0)
        {
            MdnsLog.NoInterface(_logger);
            return Task.CompletedTask;
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, _options.Port));
            foreach (var (_, index) in _interfaces)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, index));
            }

            // RFC 6762 §11: mDNS packets carry IP TTL 255; receivers may check it to reject off-link senders.
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            socket.MulticastLoopback = true;
        }
        catch (SocketException e)
        {
            // Another responder may hold 5353 without SO_REUSEADDR; discovery then stays off rather than the node.
            socket.Dispose();
            MdnsLog.BindFailed(_logger, _options.Port, e.SocketErrorCode);
            return Task.CompletedTask;
        }

        _socket = socket;
        var names = string.Join(",", _interfaces.Select(i => i.Name));
        MdnsLog.Started(_logger, _options.ServiceName, names);
        _loops.Add(Task.Run(ReceiveLoopAsync, CancellationToken.None));
        _loops.Add(Task.Run(QueryLoopAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loops end on their own once the socket is gone.
        }

        _channel.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Sends a query now (besides the periodic ones).</summary>
    public void Query() => Send(MdnsMessages.BuildQuery(_options.ServiceName).Encode());

    private List<(string Name, int Index)> SelectInterfaces()
    {
        var result = new List<(string, int)>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            var wanted = _options.Interfaces.Count == 0
                ? nic.NetworkInterfaceType != NetworkInterfaceType.Loopback
                : _options.Interfaces.Contains(nic.Name);
            if (!wanted || nic.OperationalStatus != OperationalStatus.Up || !nic.SupportsMulticast || !nic.Supports(NetworkInterfaceComponent.IPv4))
            {
                continue;
            }

            var properties = nic.GetIPProperties();
            if (!properties.UnicastAddresses.Any(u => u.Address.AddressFamily == AddressFamily.InterNetwork))
            {
                continue;
            }

            result.Add((nic.Name, properties.GetIPv4Properties().Index));
        }

        return result;
    }

    private async Task QueryLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Query();
            var now = DateTimeOffset.UtcNow;
            foreach (var (peer, entry) in _peers)
            {
                if (entry.Expires <= now)
                {
                    _peers.TryRemove(peer, out _);
                }
            }

            try
            {
                await Task.Delay(_options.QueryInterval, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var socket = _socket!;
        var token = _stopping.Token;
        var buffer = new byte[DnsMessage.MaxMessageSize];
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // An oversized datagram (MessageSize) or a transient error: drop it and go on.
                MdnsLog.ReceiveFailed(_logger, e.SocketErrorCode);
                continue;
            }

            if (!Admit())
            {
                Interlocked.Increment(ref _droppedPackets);
                continue;
            }

            Handle(buffer.AsSpan(0, received.ReceivedBytes), received.RemoteEndPoint.ToString() ?? "?");
        }
    }

    private bool Admit()
    {
        var now = Environment.TickCount64;
        if (now - _windowStart >= 1000)
        {
            _windowStart = now;
            _windowCount = 0;
        }

        return ++_windowCount <= _options.MaxPacketsPerSecond;
    }

    private void Handle(ReadOnlySpan<byte> packet, string source)
    {
        DnsMessage message;
        try
        {
            message = DnsMessage.Decode(packet);
        }
        catch (MalformedInputException e)
        {
            MdnsLog.Dropped(_logger, source, e.Message);
            return;
        }

        if (MdnsMessages.IsQueryFor(message, _options.ServiceName))
        {
            ScheduleResponse();
            return;
        }

        foreach (var peer in MdnsMessages.ReadPeers(message, _options.ServiceName))
        {
            if (!peer.PeerId.Equals(_self) && peer.Addresses.Count > 0)
            {
                Remember(peer);
            }
        }
    }

    private void Remember(MdnsPeer peer)
    {
        var key = string.Join(" ", peer.Addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal));
        var now = DateTimeOffset.UtcNow;
        if (_peers.TryGetValue(peer.PeerId, out var known) && known.Key == key && known.Expires > now)
        {
            return;
        }

        if (known.Key is null && _peers.Count >= _options.MaxPeers)
        {
            return;
        }

        _peers[peer.PeerId] = (key, now + TimeSpan.FromSeconds(_options.RecordTtlSeconds));
        MdnsLog.Discovered(_logger, peer.PeerId, peer.Addresses.Count);
        _channel.Writer.TryWrite(peer);
        try
        {
            PeerDiscovered?.Invoke(this, peer);
        }
#pragma warning disable CA1031 // A subscriber's failure must not stop discovery.
        catch (Exception e)
#pragma warning restore CA1031
        {
            MdnsLog.HandlerFailed(_logger, peer.PeerId, e.Message);
        }
    }

    private void ScheduleResponse()
    {
        if (Interlocked.Exchange(ref _responsePending, 1) == 1)
        {
            return;
        }

        var wait = TimeSpan.FromMilliseconds(Interlocked.Read(ref _lastResponse) + (long)MinResponseInterval.TotalMilliseconds - Environment.TickCount64);
        var token = _stopping.Token; // taken now: the source may be disposed before the delay ends
        _ = Task.Run(async () =>
        {
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Volatile.Write(ref _responsePending, 0);
            Interlocked.Exchange(ref _lastResponse, Environment.TickCount64);
            SendResponse();
        });
    }

    private void SendResponse()
    {
        var addresses = _addresses().Where(a => _options.AnnounceLoopback || !IsLoopbackOrLinkLocal(a)).ToList();
        if (addresses.Count == 0)
        {
            return;
        }

        Send(MdnsMessages.BuildResponse(_options.ServiceName, _peerName, _self, addresses, _options.RecordTtlSeconds).Encode());
    }

    private static bool IsLoopbackOrLinkLocal(Multiaddr address)
    {
        var first = address.Components[0];
        if (first.Protocol != MultiaddrProtocol.Ip4 && first.Protocol != MultiaddrProtocol.Ip6)
        {
            return false;
        }

        var ip = new IPAddress(first.Value.Span);
        return IPAddress.IsLoopback(ip) || ip.IsIPv6LinkLocal;
    }

    private void Send(byte[] packet)
    {
        var socket = _socket;
        if (socket is null)
        {
            return;
        }

        var destination = new IPEndPoint(Group, _options.Port);
        lock (_sendLock)
        {
            foreach (var (name, index) in _interfaces)
            {
                try
                {
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(index));
                    socket.SendTo(packet, destination);
                }
                catch (SocketException e)
                {
                    MdnsLog.SendFailed(_logger, name, e.SocketErrorCode);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }
}
