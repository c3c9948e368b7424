// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using System.Net;
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Protocols;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.Pubsub;

/// <summary>
/// A gossipsub v1.1 router with v1.2 IDONTWANT, attached to a <see cref="Libp2pHost"/>. It speaks
/// <c>/meshsub/1.2.0</c>, <c>/meshsub/1.1.0</c>, <c>/meshsub/1.0.0</c> and <c>/floodsub/1.0.0</c>, keeping one
/// long-lived outbound stream per peer for its RPCs and reading each peer's inbound stream in a bounded loop.
/// All router state is guarded by one lock; network writes happen on per-peer writer tasks, application
/// validation on the thread pool with bounded concurrency.
/// </summary>
public sealed partial class GossipsubRouter : IAsyncDisposable
{
    public const string Protocol12 = "/meshsub/1.2.0";
    public const string Protocol11 = "/meshsub/1.1.0";
    public const string Protocol10 = "/meshsub/1.0.0";
    public const string FloodsubProtocol = "/floodsub/1.0.0";

    /// <summary>The protocols we offer, best first.</summary>
    public static IReadOnlyList<string> Protocols { get; } = [Protocol12, Protocol11, Protocol10, FloodsubProtocol];

    private readonly Libp2pHost _host;
    private readonly Ed25519Identity _identity;
    private readonly GossipsubOptions _options;
    private readonly ILogger _logger;
    private readonly GossipsubMetrics _metrics;
    private readonly bool _ownsMetrics;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Libp2pConnection, Lazy<Task<GossipsubPeer?>>> _attach = new();
    private readonly ConcurrentDictionary<string, MessageValidator> _validators = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _validationSlots;

    // Guarded by _gate.
    private readonly Dictionary<PeerId, GossipsubPeer> _peers = [];
    private readonly Dictionary<string, HashSet<PeerId>> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PeerId>> _mesh = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PeerId>> _fanout = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _fanoutLastPublish = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<GossipsubSubscription>> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Topic, PeerId Peer), DateTimeOffset> _backoff = [];
    private readonly Dictionary<MessageId, Dictionary<PeerId, DateTimeOffset>> _promises = [];
    private readonly SeenCache _seen;
    private readonly MessageCache _mcache;
    private readonly PeerScore _score;

    private Task? _heartbeat;
    private long _ticks;
    private DateTimeOffset _lastDecay;
    private long _seqno;
    private int _pendingValidations;
    private int _started;
    private int _disposed;

    public GossipsubRouter(Libp2pHost host, Ed25519Identity identity, GossipsubOptions? options = null, ILoggerFactory? loggerFactory = null, GossipsubMetrics? metrics = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(identity);
        if (!identity.PeerId.Equals(host.PeerId))
        {
            throw new ArgumentException("the identity is not the host's", nameof(identity));
        }

        _host = host;
        _identity = identity;
        _options = options ?? new GossipsubOptions();
        _options.Validate();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p.Pubsub");
        _ownsMetrics = metrics is null;
        _metrics = metrics ?? new GossipsubMetrics();
        _time = timeProvider ?? TimeProvider.System;
        _validationSlots = new SemaphoreSlim(_options.ValidationConcurrency, _options.ValidationConcurrency);
        _seen = new SeenCache(_options.SeenTtl, _options.MaxSeenEntries);
        _mcache = new MessageCache(_options.HistoryLength, _options.HistoryGossip);
        _score = new PeerScore(_options.Score, _time);
        _lastDecay = _time.GetUtcNow();

        // Sequence numbers start at the current time in nanoseconds, so a restarted node does not reuse them.
        _seqno = (_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000) & long.MaxValue;
    }

    /// <summary>Raised (outside the router's lock) with the peers a PRUNE offered, from a peer scoring at least AcceptPXThreshold.</summary>
    public event EventHandler<PeerExchangeEventArgs>? PeerExchangeReceived;

    public PeerId PeerId => _host.PeerId;

    /// <summary>Registers the protocols, attaches to existing and future connections and starts the heartbeat.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        _host.ConnectionOpened += OnConnectionOpened;
        _host.ConnectionClosed += OnConnectionClosed;
        foreach (var p in Protocols)
        {
            _host.Router.Register(p, HandleInboundStreamAsync);
        }

        foreach (var c in _host.Connections)
        {
            _ = AttachAsync(c);
        }

        _heartbeat = Task.Run(HeartbeatLoopAsync);
        GossipsubLog.Started(_logger, PeerId);
    }

    /// <summary>Sets the validator of <paramref name="topic"/>, replacing any earlier one.</summary>
    public void RegisterValidator(string topic, MessageValidator validator)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(validator);
        _validators[topic] = validator;
    }

    public bool UnregisterValidator(string topic) => _validators.TryRemove(topic, out _);

    /// <summary>Subscribes to <paramref name="topic"/>; the first subscription joins the topic's mesh.</summary>
    public ValueTask<GossipsubSubscription> SubscribeAsync(string topic, CancellationToken cancellationToken = default)
    {
        CheckTopic(topic);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var sub = new GossipsubSubscription(this, topic, _options.SubscriptionBuffer);
        var sends = new Sends();
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(topic, out var list))
            {
                list = [];
                _subscriptions[topic] = list;
                Join(topic, sends);
            }

            list.Add(sub);
        }

        sends.Flush(this);
        return ValueTask.FromResult(sub);
    }

    /// <summary>Topics we are subscribed to.</summary>
    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_gate)
            {
                return [.. _subscriptions.Keys];
            }
        }
    }

    /// <summary>Peers known to be subscribed to <paramref name="topic"/>.</summary>
    public IReadOnlyList<PeerId> TopicPeers(string topic)
    {
        lock (_gate)
        {
            return _topics.TryGetValue(topic, out var set) ? [.. set] : [];
        }
    }

    /// <summary>Our mesh peers in <paramref name="topic"/>.</summary>
    public IReadOnlyList<PeerId> MeshPeers(string topic)
    {
        lock (_gate)
        {
            return _mesh.TryGetValue(topic, out var set) ? [.. set] : [];
        }
    }

    /// <summary>The current score of <paramref name="peer"/> (0 for an unknown peer).</summary>
    public double GetScore(PeerId peer)
    {
        lock (_gate)
        {
            return _score.Score(peer);
        }
    }

    /// <summary>
    /// Publishes <paramref name="data"/> on <paramref name="topic"/>: signs it under StrictSign, runs the topic's
    /// validator, and sends it to the topic's peers (all above the publish threshold with flood publishing,
    /// else the mesh or fanout). Returns the number of peers it was sent to (it may be 0).
    /// </summary>
    /// <exception cref="InvalidOperationException">The local validator did not accept it, or the same content was already published (StrictNoSign).</exception>
    public async Task<int> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        CheckTopic(topic);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (data.Length > _options.MaxMessageSize)
        {
            throw new ArgumentException($"message of {data.Length} bytes is over the limit of {_options.MaxMessageSize}", nameof(data));
        }

        var message = PolicyFor(topic) == SignaturePolicy.StrictSign
            ? MessageSigning.Sign(_identity, topic, data.ToArray(), (ulong)Interlocked.Increment(ref _seqno))
            : MessageSigning.CreateUnsigned(topic, data.ToArray());
        var id = new MessageId(IdFor(message));
        if (_validators.TryGetValue(topic, out var validator))
        {
            var result = await RunValidatorAsync(validator, new ReceivedMessage(message, id.Bytes, message.From is null ? null : PeerId, PeerId), cancellationToken).ConfigureAwait(false);
            if (result != ValidationResult.Accept)
            {
                throw new InvalidOperationException($"the validator of {topic} returned {result} for our own message");
            }
        }

        var sends = new Sends();
        int count;
        lock (_gate)
        {
            if (!_seen.Add(id, _time.GetUtcNow()))
            {
                throw new InvalidOperationException("a message with the same id was published or seen recently");
            }

            _mcache.Put(id, message);
            var targets = PublishTargets(topic);
            var rpc = new PubsubRpc { Publish = [message] };
            foreach (var p in targets)
            {
                sends.Add(p, rpc);
            }

            count = targets.Count;
        }

        sends.Flush(this);
        _metrics.MessagesPublished.Add(1);
        _metrics.MessagesForwarded.Add(count);
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _host.ConnectionOpened -= OnConnectionOpened;
        _host.ConnectionClosed -= OnConnectionClosed;
        foreach (var p in Protocols)
        {
            _host.Router.Unregister(p);
        }

        if (_heartbeat is not null)
        {
            try
            {
                await _heartbeat.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        lock (_gate)
        {
            foreach (var peer in _peers.Values.ToList())
            {
                RemovePeerLocked(peer);
            }

            foreach (var sub in _subscriptions.Values.SelectMany(s => s))
            {
                sub.Complete();
            }

            _subscriptions.Clear();
        }

        if (_ownsMetrics)
        {
            _metrics.Dispose();
        }

        _validationSlots.Dispose();
        _stopping.Dispose();
    }

    internal void Unsubscribe(GossipsubSubscription sub)
    {
        var sends = new Sends();
        lock (_gate)
        {
            if (_subscriptions.TryGetValue(sub.Topic, out var list) && list.Remove(sub) && list.Count == 0)
            {
                _subscriptions.Remove(sub.Topic);
                Leave(sub.Topic, sends);
            }
        }

        sends.Flush(this);
    }

    private void CheckTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(topic) > _options.RpcLimits.MaxTopicLength)
        {
            throw new ArgumentException($"topic must be 1 to {_options.RpcLimits.MaxTopicLength} bytes of UTF-8", nameof(topic));
        }
    }

    private SignaturePolicy PolicyFor(string topic) =>
        _options.TopicSignaturePolicies.TryGetValue(topic, out var p) ? p : _options.DefaultSignaturePolicy;

    private byte[] IdFor(PubsubMessage message)
    {
        if (_options.MessageIdFunctions.TryGetValue(message.Topic, out var f))
        {
            return f(message);
        }

        return PolicyFor(message.Topic) == SignaturePolicy.StrictSign ? MessageSigning.DefaultMessageId(message) : MessageSigning.ContentMessageId(message);
    }

    private void OnConnectionOpened(object? sender, Libp2pConnection connection) => _ = AttachAsync(connection);

    private void OnConnectionClosed(object? sender, Libp2pConnection connection)
    {
        _attach.TryRemove(connection, out _);
        lock (_gate)
        {
            if (_peers.TryGetValue(connection.RemotePeer, out var peer) && peer.Connection == connection)
            {
                RemovePeerLocked(peer);
            }
        }

        // Another connection to the same peer can carry on.
        if (_disposed == 0 && _host.Connections.FirstOrDefault(c => c.RemotePeer.Equals(connection.RemotePeer) && !c.IsClosed) is { } other)
        {
            _ = AttachAsync(other);
        }
    }

    private Task<GossipsubPeer?> AttachAsync(Libp2pConnection connection) =>
        _attach.GetOrAdd(connection, c => new Lazy<Task<GossipsubPeer?>>(() => Task.Run(() => OpenOutboundAsync(c)))).Value;

    private async Task<GossipsubPeer?> OpenOutboundAsync(Libp2pConnection connection)
    {
        lock (_gate)
        {
            if (_peers.TryGetValue(connection.RemotePeer, out var existing))
            {
                return existing;
            }
        }

        OutboundStreamHandle handle;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.StreamOpenTimeout);
            handle = await _host.OpenStreamAsync(connection, Protocols, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProtocolNotSupportedException or IOException or MalformedInputException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            GossipsubLog.StreamOpenFailed(_logger, connection.RemotePeer, e.Message);
            return null;
        }

        var now = _time.GetUtcNow();
        var peer = new GossipsubPeer(connection, handle.Protocol, handle.Stream, _options.MaxOutboundQueue, _options.InboundRpcBurst, now);
        var sends = new Sends();
        lock (_gate)
        {
            if (_disposed != 0 || connection.IsClosed || _peers.TryGetValue(connection.RemotePeer, out var raced))
            {
                handle.Stream.Reset();
                return _disposed == 0 && !connection.IsClosed ? _peers.GetValueOrDefault(connection.RemotePeer) : null;
            }

            _peers[peer.Id] = peer;
            _score.AddPeer(peer.Id, IpOf(connection));
            if (_subscriptions.Count > 0)
            {
                sends.Add(peer, new PubsubRpc { Subscriptions = [.. _subscriptions.Keys.Select(t => new SubscriptionChange(true, t))] });
            }
        }

        _metrics.Peers.Add(1);
        GossipsubLog.PeerAttached(_logger, peer.Id, peer.Protocol);
        _ = Task.Run(() => WriteLoopAsync(peer));
        sends.Flush(this);
        return peer;
    }

    private static IPAddress? IpOf(Libp2pConnection connection) =>
        connection.RemoteAddress.TryGetTcpTarget() is { } target && IPAddress.TryParse(target.Host, out var ip) ? ip : null;

    private void RemovePeerLocked(GossipsubPeer peer)
    {
        if (peer.Removed)
        {
            return;
        }

        peer.Removed = true;
        _peers.Remove(peer.Id);
        foreach (var topic in peer.Topics)
        {
            if (_topics.TryGetValue(topic, out var set))
            {
                set.Remove(peer.Id);
                if (set.Count == 0)
                {
                    _topics.Remove(topic);
                }
            }
        }

        foreach (var mesh in _mesh.Values)
        {
            mesh.Remove(peer.Id);
        }

        foreach (var fanout in _fanout.Values)
        {
            fanout.Remove(peer.Id);
        }

        _score.RemovePeer(peer.Id);
        peer.Outbound.Writer.TryComplete();
        peer.Inbound?.Cancel();
        _metrics.Peers.Add(-1);
        GossipsubLog.PeerDetached(_logger, peer.Id);
    }

    private async Task WriteLoopAsync(GossipsubPeer peer)
    {
        try
        {
            await foreach (var rpc in peer.Outbound.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                await LengthPrefixed.WriteAsync(peer.Stream, RpcCodec.Encode(rpc), _stopping.Token).ConfigureAwait(false);
                _metrics.RpcsSent.Add(1);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            GossipsubLog.StreamOpenFailed(_logger, peer.Id, "outbound stream failed: " + e.Message);
        }
        finally
        {
            lock (_gate)
            {
                if (_peers.TryGetValue(peer.Id, out var current) && current == peer)
                {
                    RemovePeerLocked(peer);
                }
            }

            peer.Stream.Reset();
        }
    }

    private async Task HandleInboundStreamAsync(Libp2pStreamContext context, CancellationToken hostToken)
    {
        var peer = await AttachAsync(context.Connection).WaitAsync(hostToken).ConfigureAwait(false);
        if (peer is null && !context.Connection.IsClosed)
        {
            // Our earlier attempt found no pubsub protocol, but the peer evidently speaks one now (it started its
            // router after connecting): try once more.
            _attach.TryRemove(context.Connection, out _);
            peer = await AttachAsync(context.Connection).WaitAsync(hostToken).ConfigureAwait(false);
        }

        if (peer is null || _disposed != 0)
        {
            return;
        }

        // One inbound stream per peer: a newer stream replaces the older one, so a peer cannot hold many readers.
        using var mine = CancellationTokenSource.CreateLinkedTokenSource(hostToken, _stopping.Token);
        lock (_gate)
        {
            if (peer.Removed)
            {
                return;
            }

            peer.Inbound?.Cancel();
            peer.Inbound = mine;
        }

        try
        {
            await ReadLoopAsync(peer, context.Stream, mine.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The stream or connection ended; nothing to clean up beyond the stream itself.
        }
        finally
        {
            lock (_gate)
            {
                if (peer.Inbound == mine)
                {
                    peer.Inbound = null;
                }
            }
        }
    }

    private async Task ReadLoopAsync(GossipsubPeer peer, Stream stream, CancellationToken cancellationToken)
    {
        var limits = _options.RpcLimits;
        while (!cancellationToken.IsCancellationRequested)
        {
            byte[] frame;
            try
            {
                var length = await Varint.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
                if (length is null)
                {
                    return;
                }

                if (length > (ulong)limits.MaxRpcSize)
                {
                    throw new MalformedInputException($"RPC of {length} bytes is over the limit of {limits.MaxRpcSize}");
                }

                frame = new byte[(int)length];
                await stream.ReadExactlyAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                return;
            }
            catch (MalformedInputException e)
            {
                Misbehaved(peer, e.Message);
                return;
            }

            _metrics.RpcsReceived.Add(1);
            if (!TakeToken(peer))
            {
                _metrics.RpcsDropped.Add(1, new KeyValuePair<string, object?>("reason", "rate_limited"));
                GossipsubLog.RateLimited(_logger, peer.Id);
                continue;
            }

            if (Graylisted(peer))
            {
                // Not even decoded: a graylisted peer costs us only the read.
                continue;
            }

            PubsubRpc rpc;
            try
            {
                rpc = RpcCodec.Decode(frame, limits);
            }
            catch (MalformedInputException e)
            {
                Misbehaved(peer, e.Message);
                return;
            }

            HandleRpc(peer, rpc);
        }
    }

    private bool Graylisted(GossipsubPeer peer)
    {
        double score;
        lock (_gate)
        {
            score = _score.Score(peer.Id);
        }

        if (score >= _options.Thresholds.GraylistThreshold)
        {
            return false;
        }

        _metrics.RpcsDropped.Add(1, new KeyValuePair<string, object?>("reason", "graylisted"));
        GossipsubLog.Graylisted(_logger, peer.Id, score);
        return true;
    }

    private void Misbehaved(GossipsubPeer peer, string reason)
    {
        _metrics.RpcsDropped.Add(1, new KeyValuePair<string, object?>("reason", "malformed"));
        GossipsubLog.MalformedRpc(_logger, peer.Id, reason);
        lock (_gate)
        {
            _score.AddPenalty(peer.Id, 1);
        }
    }

    private bool TakeToken(GossipsubPeer peer)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var refill = (now - peer.LastRefill).TotalSeconds * _options.MaxInboundRpcsPerSecond;
            peer.Tokens = Math.Min(_options.InboundRpcBurst, peer.Tokens + refill);
            peer.LastRefill = now;
            if (peer.Tokens < 1)
            {
                return false;
            }

            peer.Tokens -= 1;
            return true;
        }
    }

    private void Send(GossipsubPeer peer, PubsubRpc rpc)
    {
        if (peer.Removed)
        {
            return;
        }

        if (!peer.Outbound.Writer.TryWrite(rpc))
        {
            _metrics.RpcsDropped.Add(1, new KeyValuePair<string, object?>("reason", "queue_full"));
            GossipsubLog.OutboundQueueFull(_logger, peer.Id);
        }
    }

    /// <summary>RPCs collected under the lock and queued after it is released.</summary>
    private sealed class Sends
    {
        private readonly List<(GossipsubPeer Peer, PubsubRpc Rpc)> _items = [];
        private readonly List<PeerExchangeEventArgs> _exchanges = [];

        public void Add(GossipsubPeer peer, PubsubRpc rpc) => _items.Add((peer, rpc));

        public void Exchange(PeerExchangeEventArgs e) => _exchanges.Add(e);

        public void Flush(GossipsubRouter router)
        {
            foreach (var (peer, rpc) in _items)
            {
                router.Send(peer, rpc);
            }

            foreach (var e in _exchanges)
            {
                router.PeerExchangeReceived?.Invoke(router, e);
            }
        }
    }
}

/// <summary>Peers offered by a PRUNE's peer exchange (their signed peer records, when sent, are not checked here).</summary>
public sealed class PeerExchangeEventArgs(PeerId from, string topic, IReadOnlyList<PeerId> peers) : EventArgs
{
    public PeerId From { get; } = from;

    public string Topic { get; } = topic;

    public IReadOnlyList<PeerId> Peers { get; } = peers;
}
