// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.Kad;

/// <summary>
/// The libp2p Kademlia DHT (<c>/ipfs/kad/1.0.0</c>, libp2p specs kad-dht/README.md) on a <see cref="Libp2pHost"/>:
/// routing table fed by identify, iterative lookups, validated records, provider records, client and server modes.
/// Call <see cref="Start"/> once the host runs, then <see cref="BootstrapAsync"/>.
/// </summary>
public sealed partial class KadDht : IAsyncDisposable
{
    private readonly Libp2pHost _host;
    private readonly KadDhtOptions _options;
    private readonly ILogger _logger;
    private readonly KadMetrics _metrics;
    private readonly bool _ownsMetrics;
    private readonly PeerRateLimiter _rateLimiter;
    private readonly ConcurrentDictionary<PeerId, IReadOnlyList<Multiaddr>> _addressBook = new();
    private readonly ConcurrentDictionary<string, (byte[] Key, DateTimeOffset Last)> _provided = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (byte[] Key, byte[] Value, DateTimeOffset Last)> _published = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _livenessChecks;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _refreshLoop;
    private int _started;
    private int _disposed;

    public KadDht(Libp2pHost host, KadDhtOptions options, ILoggerFactory? loggerFactory = null, KadMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        _host = host;
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p.Kad");
        _ownsMetrics = metrics is null;
        _metrics = metrics ?? new KadMetrics();
        RoutingTable = new RoutingTable(host.PeerId, options.BucketSize);
        Records = new RecordStore(options.Validator, options.MaxRecords, options.MaxRecordBytes, options.RecordTtl);
        Providers = new ProviderStore(options.MaxProviderKeys, options.MaxProvidersPerKey, options.ProviderValidity, options.ProviderAddressTtl);
        _rateLimiter = new PeerRateLimiter(options.InboundRequestsPerSecond, options.InboundRequestBurst);
        _livenessChecks = new SemaphoreSlim(options.MaxConcurrentLivenessChecks, options.MaxConcurrentLivenessChecks);
        _metrics.ObserveRoutingTable(() => RoutingTable.Count);
    }

    public RoutingTable RoutingTable { get; }

    public RecordStore Records { get; }

    public ProviderStore Providers { get; }

    public KadDhtOptions Options => _options;

    public PeerId PeerId => _host.PeerId;

    /// <summary>
    /// Attaches to the host: in server mode registers the protocol handler (so identify advertises it); in both modes
    /// watches new connections for DHT servers, and starts the periodic refresh.
    /// </summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the DHT is already started");
        }

        if (!_options.ClientMode)
        {
            _host.Router.Register(_options.ProtocolId, HandleStreamAsync);
        }

        _host.ConnectionOpened += OnConnectionOpened;
        foreach (var c in _host.Connections)
        {
            OnConnectionOpened(this, c);
        }

        if (_options.RefreshInterval > TimeSpan.Zero)
        {
            _refreshLoop = Task.Run(RefreshLoopAsync);
        }

        KadLog.Started(_logger, _options.ClientMode ? "client" : "server", _options.ProtocolId);
    }

    /// <summary>
    /// Dials the configured bootstrap peers, adds those that are DHT servers, then looks up our own id and refreshes
    /// the buckets. Returns the number of peers in the routing table afterwards.
    /// </summary>
    public async Task<int> BootstrapAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_options.BootstrapPeers.Select(a => ConnectBootstrapPeerAsync(a, cancellationToken))).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        KadLog.Bootstrapped(_logger, RoutingTable.Count);
        return RoutingTable.Count;
    }

    /// <summary>
    /// A lookup of our own id (closest neighbours), then one of a random id in each non-empty bucket farther out
    /// (spec, "Bootstrap process").
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await LookupAsync(PeerId.Bytes.ToArray(), KadMessageType.FindNode, null, cancellationToken).ConfigureAwait(false);
        foreach (var bucket in RoutingTable.NonEmptyBuckets().Take(16))
        {
            var target = RoutingTable.LocalId.RandomWithPrefix(bucket);
            await LookupIdAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The k peers closest to <paramref name="key"/> that answered an iterative FIND_NODE lookup.</summary>
    public async Task<IReadOnlyList<KadPeer>> GetClosestPeersAsync(byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var result = await LookupAsync(key, KadMessageType.FindNode, null, cancellationToken).ConfigureAwait(false);
        return [.. result.Closest.Select(ToKadPeer)];
    }

    /// <summary>Finds <paramref name="peer"/>'s addresses: from a live connection, or by a lookup that stops once someone names it.</summary>
    public async Task<KadPeer?> FindPeerAsync(PeerId peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (Connected(peer) is not null && KnownAddresses(peer).Count > 0)
        {
            return ToKadPeer(peer);
        }

        KadPeer? found = null;
        await LookupAsync(peer.Bytes.ToArray(), KadMessageType.FindNode, (from, response) =>
        {
            if (from.Equals(peer))
            {
                found ??= ToKadPeer(peer);
                return true;
            }

            if (response.CloserPeers.FirstOrDefault(p => p.Id.Equals(peer)) is { } named && Filter(named.Addresses).Count > 0)
            {
                found ??= named with { Addresses = Filter(named.Addresses) };
                return true;
            }

            return false;
        }, cancellationToken).ConfigureAwait(false);
        return found;
    }

    private async Task ConnectBootstrapPeerAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        try
        {
            if (!Dialable(address))
            {
                throw new ArgumentException("address is not allowed by the dial filter");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            var connection = await _host.DialAsync(address, timeout.Token).ConfigureAwait(false);
            await ConsiderPeerAsync(connection, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRequestFailure(e, cancellationToken))
        {
            KadLog.BootstrapPeerFailed(_logger, address.ToString(), e.Message);
        }
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    timeout.CancelAfter(_options.RefreshInterval);
                    if (RoutingTable.Count == 0)
                    {
                        await BootstrapAsync(timeout.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        await RefreshAsync(timeout.Token).ConfigureAwait(false);
                    }

                    await RepublishProvidedAsync(timeout.Token).ConfigureAwait(false);
                    await RepublishRecordsAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or InvalidRecordException)
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    KadLog.RefreshFailed(_logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _host.ConnectionOpened -= OnConnectionOpened;
        if (!_options.ClientMode && Volatile.Read(ref _started) != 0)
        {
            _host.Router.Unregister(_options.ProtocolId);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_refreshLoop is not null)
        {
            await _refreshLoop.ConfigureAwait(false);
        }

        if (_ownsMetrics)
        {
            _metrics.Dispose();
        }

        _stopping.Dispose();
        _livenessChecks.Dispose();
    }
}
