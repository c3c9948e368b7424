// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Node.Identity;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.AutoNat;
using Chhaya.P2p.Kad;
using Chhaya.P2p.Mdns;
using Chhaya.P2p.Pubsub;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.P2p;

/// <summary>
/// The node's libp2p host, with the node's own Ed25519 identity (so its peer id and identity key are one
/// key), started with the node and stopped with it.
/// </summary>
public sealed partial class NodeP2pHost : IHostedService, IAsyncDisposable
{
    private readonly Ed25519Identity _identity;
    private readonly ILogger<NodeP2pHost> _logger;
    private readonly IReadOnlyList<Multiaddr> _bootstrap;
    private readonly CancellationTokenSource _stopping = new();
    private readonly AutoNatService? _autoNatProber;
    private readonly MdnsDiscovery? _mdns;
    private readonly bool _loopbackOnly;
    private Task? _bootstrapLoop;
    private int _disposed;

    public NodeP2pHost(NodeIdentity identity, IOptions<P2pOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _identity = Ed25519Identity.FromSeed(identity.Seed.ReadOnlySpan);
        _logger = loggerFactory.CreateLogger<NodeP2pHost>();
        var listen = options.Value.Listen.Count == 0 ? [P2pOptions.DefaultListen] : options.Value.Listen;
        Enabled = options.Value.Enabled;
        Host = new Libp2pHost(
            new Libp2pHostOptions
            {
                Identity = _identity,
                ListenAddresses = [.. listen.Select(ParseListen)],
                AgentVersion = $"chhaya/{Hosting.NodeVersion.Current}",
            },
            loggerFactory);
        _bootstrap = [.. options.Value.Bootstrap.Select(ParseBootstrap)];
        if (Enabled)
        {
            var o = options.Value;
            Gossip = new GossipsubRouter(
                Host,
                _identity,
                new GossipsubOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Clamp(o.GossipHeartbeatMilliseconds, 50, 60_000)) },
                loggerFactory);
            var mode = o.Dht.Mode.Trim().ToLowerInvariant();
            if (mode is not ("server" or "client"))
            {
                throw new ArgumentException($"P2p:Dht:Mode '{o.Dht.Mode}' must be 'server' or 'client'.");
            }

            Dht = new KadDht(Host, new KadDhtOptions { ClientMode = mode == "client", BootstrapPeers = [.. _bootstrap], LoopbackOnly = o.LoopbackOnly }, loggerFactory);
            // Registers its handler on the host's router, which keeps it alive: answers dial-back requests.
            _ = new AutoNatServer(Host, loggerFactory: loggerFactory);
            var natOptions = new AutoNatClientOptions();
            AutoNat = new AutoNatClient(Host, natOptions, loggerFactory: loggerFactory);
            _autoNatProber = new AutoNatService(Host, AutoNat, natOptions);
            if (o.Mdns.Enabled)
            {
                _mdns = new MdnsDiscovery(new MdnsOptions { Enabled = true, QueryInterval = TimeSpan.FromSeconds(Math.Clamp(o.Mdns.QueryIntervalSeconds, 1, 3600)) }, Host, loggerFactory);
                _mdns.PeerDiscovered += OnMdnsPeer;
            }
        }

        _loopbackOnly = options.Value.LoopbackOnly;
    }

    /// <summary>The Kademlia DHT; null when libp2p is off.</summary>
    public KadDht? Dht { get; }

    /// <summary>What AutoNAT concluded about this node's reachability; null when libp2p is off.</summary>
    public AutoNatClient? AutoNat { get; }

    /// <summary>The node's gossipsub router; null when libp2p is off.</summary>
    public GossipsubRouter? Gossip { get; }

    /// <summary>Whether libp2p runs in this node.</summary>
    public bool Enabled { get; }

    public Libp2pHost Host { get; }

    public PeerId PeerId => _identity.PeerId;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        await Host.StartAsync(cancellationToken);
        Gossip?.Start();
        Dht?.Start();
        if (_autoNatProber is not null)
        {
            await _autoNatProber.StartAsync(cancellationToken);
        }

        if (_mdns is not null)
        {
            await _mdns.StartAsync(cancellationToken);
        }

        var addresses = string.Join(", ", Host.GetAnnounceAddresses());
        LogListening(_logger, _identity.PeerId, addresses);
        if (_bootstrap.Count > 0)
        {
            _bootstrapLoop = Task.Run(() => KeepBootstrapConnectionsAsync(_stopping.Token), CancellationToken.None);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_mdns is not null)
        {
            await _mdns.StopAsync(cancellationToken);
        }

        if (_autoNatProber is not null)
        {
            await _autoNatProber.StopAsync(cancellationToken);
        }

        if (_bootstrapLoop is not null)
        {
            await _bootstrapLoop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (Enabled)
        {
            await Host.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this object twice (as itself and as the hosted service it also is);
        // the identity must be wiped once.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_mdns is not null)
        {
            await _mdns.DisposeAsync();
        }

        _autoNatProber?.Dispose();
        if (Dht is not null)
        {
            await Dht.DisposeAsync();
        }

        if (Gossip is not null)
        {
            await Gossip.DisposeAsync();
        }

        await Host.DisposeAsync();
        _identity.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// A connection to <paramref name="peer"/>: an open one, else a dial to the addresses the DHT knows for it (only
    /// loopback ones when <c>P2p:LoopbackOnly</c>). Null when the peer cannot be found or reached within the time given.
    /// </summary>
    public async Task<Libp2pConnection?> ConnectToPeerAsync(PeerId peer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (Host.Connections.FirstOrDefault(c => !c.IsClosed && c.RemotePeer.Equals(peer)) is { } open)
        {
            return open;
        }

        if (Dht is null || peer.Equals(PeerId))
        {
            return null;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var found = await Dht.FindPeerAsync(peer, limit.Token);
            foreach (var address in (found?.Addresses ?? []).Where(a => a.TryGetTcpTarget() is not null && (!_loopbackOnly || AddressFilter.IsLoopback(a))).Take(4))
            {
                try
                {
                    return await Host.DialAsync(address.PeerId is null ? address.WithPeerId(peer) : address, limit.Token);
                }
                catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException or DialBackoffException or Chhaya.Safety.MalformedInputException or InvalidOperationException or ArgumentException)
                {
                    LogBootstrapFailed(_logger, address, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Not found in time: the caller falls back (mailbox, outbox).
        }

        return null;
    }

    /// <summary>Dials a peer found on the local network, unless already connected (or beyond loopback when told so).</summary>
    private void OnMdnsPeer(object? sender, MdnsPeer peer)
    {
        if (_stopping.IsCancellationRequested || Host.Connections.Any(c => !c.IsClosed && c.RemotePeer.Equals(peer.PeerId)))
        {
            return;
        }

        var address = peer.Addresses.FirstOrDefault(a => a.TryGetTcpTarget() is not null && (!_loopbackOnly || AddressFilter.IsLoopback(a)));
        if (address is null)
        {
            return;
        }

        _ = Task.Run(() => DialQuietlyAsync(address.PeerId is null ? address.WithPeerId(peer.PeerId) : address, _stopping.Token));
    }

    /// <summary>Keeps every bootstrap peer connected: dials each now and every few seconds (open connections are reused).</summary>
    private async Task KeepBootstrapConnectionsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            foreach (var address in _bootstrap)
            {
                if (!await DialQuietlyAsync(address, cancellationToken))
                {
                    return;
                }
            }
        }
        while (await WaitQuietlyAsync(timer, cancellationToken));
    }

    /// <summary>
    /// Dials <paramref name="address"/> (an open connection to its peer is reused by the host) with a 10 s
    /// limit, logging a failure instead of throwing; false once the node is stopping.
    /// </summary>
    private async Task<bool> DialQuietlyAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await Host.DialAsync(address, timeout.Token);
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException or DialBackoffException or Chhaya.Safety.MalformedInputException or InvalidOperationException or ArgumentException or ObjectDisposedException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            LogBootstrapFailed(_logger, address, e.Message);
        }

        return true;
    }

    private static async Task<bool> WaitQuietlyAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static Multiaddr ParseBootstrap(string text)
    {
        try
        {
            var address = Multiaddr.Parse(text);
            return address.TryGetTcpTarget() is null || address.PeerId is null
                ? throw new ArgumentException($"P2p:Bootstrap '{text}' needs a TCP address and a peer id, as in /ip4/192.0.2.1/tcp/4001/p2p/12D3Koo….")
                : address;
        }
        catch (Chhaya.Safety.MalformedInputException e)
        {
            throw new ArgumentException($"P2p:Bootstrap '{text}' is not a valid multiaddr: {e.Message}", e);
        }
    }

    private static Multiaddr ParseListen(string text)
    {
        try
        {
            var address = Multiaddr.Parse(text);
            return address.TryGetTcpTarget() is null
                ? throw new ArgumentException($"P2p:Listen '{text}' is not a TCP address such as {P2pOptions.DefaultListen}.")
                : address;
        }
        catch (Chhaya.Safety.MalformedInputException e)
        {
            throw new ArgumentException($"P2p:Listen '{text}' is not a valid multiaddr: {e.Message}", e);
        }
    }

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Bootstrap peer {Address} not reachable: {Reason}")]
    private static partial void LogBootstrapFailed(ILogger logger, Multiaddr address, string reason);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "libp2p peer {PeerId} listening on {Addresses}")]
    private static partial void LogListening(ILogger logger, PeerId peerId, string addresses);
}
