// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Directory;
using Chhaya.Integrations;
using Chhaya.LogStore;
using Chhaya.Messaging;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Sealed;
using Chhaya.Messaging.Storage;
using Chhaya.Messaging.Transport;
using Chhaya.Node.Hosting;
using Chhaya.Node.Identity;
using Chhaya.Node.P2p;
using Chhaya.Node.Witnessing;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.Vkd.Verification;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.Messaging;

/// <summary>
/// The node's messenger: the local user (when <c>Messaging:Handle</c> is set) with its identity, prekeys, sessions,
/// inbox, outbox and contacts, all persisted (sealed under the storage key; ratchet states in the log store); the
/// <c>/chhaya/msg</c>, <c>/chhaya/prekeys</c> and <c>/chhaya/mailbox</c> protocols; the prekey record in the DHT; and,
/// unless turned off, a mailbox for users that name this node. Every first message to a handle is gated by a
/// verified, quorum-certified directory lookup (<see cref="HandshakeResolver"/>).
/// </summary>
public sealed partial class NodeMessenger : BackgroundService
{
    private static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(30);

    private readonly MessagingOptions _options;
    private readonly WitnessOptions _witnessOptions;
    private readonly DataDirectory _data;
    private readonly NodeP2pHost _p2p;
    private readonly HistoryStore _history;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Ed25519Identity _nodeIdentity;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MessengerKeys? _keys;
    private PrekeyStore? _prekeys;
    private MessagingEndpoint? _endpoint;
    private MessagingService? _service;
    private MailboxProtocol? _mailboxProtocol;
    private Mailbox? _mailbox;
    private RatchetStateProtector? _protector;
    private RatchetStateStore? _ratchets;
    private HandshakeResolver? _resolver;
    private FilePinStore? _pins;
    private SealedStateFile? _prekeyFile;
    private SealedStateFile? _stateFile;
    private MessengerState _state = new();
    private Outbox _outbox = new();
    private long _savedPrekeyGeneration = -1;
    private List<Multiaddr> _mailboxAddresses = [];

    public NodeMessenger(IOptions<MessagingOptions> options, IOptions<WitnessOptions> witnessOptions, DataDirectory data, NodeIdentity identity, NodeP2pHost p2p, HistoryStore history, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        _nodeIdentity = Ed25519Identity.FromSeed(identity.Seed.ReadOnlySpan);
        ArgumentNullException.ThrowIfNull(witnessOptions);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _witnessOptions = witnessOptions.Value;
        _data = data;
        _p2p = p2p;
        _history = history;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<NodeMessenger>();
    }

    /// <summary>The local user's handle, or null when this node has none.</summary>
    public string? Handle => _endpoint is null ? null : _options.Handle;

    /// <summary>Completes once the messenger has started (or decided it has no user).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Envelopes this node holds for other users (its mailbox).</summary>
    public Mailbox? Mailbox => _mailbox;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_p2p.Enabled)
        {
            LogNoP2p(_logger);
            _ready.TrySetResult();
            return;
        }

        if (_options.ServeMailbox)
        {
            // Kept in the node database, so a restart loses none of what it holds for others.
            var mailboxId = _p2p.PeerId.Bytes.ToArray();
            _mailbox = new Mailbox(mailboxId, new MailboxOptions(), _time, new LogStoreMailboxStore(_history.Contexts, mailboxId));
            var held = await _mailbox.LoadAsync(cancellationToken).ConfigureAwait(false);
            LogMailboxLoaded(_logger, held);
        }

        if (!string.IsNullOrWhiteSpace(_options.Handle))
        {
            await StartUserAsync(_options.Handle.Trim(), cancellationToken).ConfigureAwait(false);
        }

        _service = new MessagingService(_p2p.Host, _endpoint, _prekeys, _mailbox, _loggers.CreateLogger<MessagingService>())
        {
            Inbound = _endpoint is null ? null : async (envelope, token) => await ReceiveAndKeepAsync(envelope, token).ConfigureAwait(false) == KeepOutcome.Kept,
        };
        _service.Register();
        _mailboxProtocol = new MailboxProtocol(_p2p.Host, _mailbox, _loggers.CreateLogger<MailboxProtocol>());
        _mailboxProtocol.Register();
        _ready.TrySetResult();
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        base.Dispose();
        _endpoint?.Dispose();
        _mailbox?.Dispose();
        _prekeys?.Dispose();
        _protector?.Dispose();
        _resolver?.Dispose();
        _pins?.Dispose();
        _keys?.Dispose();
        _nodeIdentity.Dispose();
        _delivering.Dispose();
        _gate.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_endpoint is null)
        {
            await MailboxSweepLoopAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        await Task.WhenAll(
            MailboxSweepLoopAsync(stoppingToken),
            PollLoopAsync(stoppingToken),
            PublishLoopAsync(stoppingToken),
            CoverTrafficLoopAsync(stoppingToken)).ConfigureAwait(false);
    }

    private async Task StartUserAsync(string handle, CancellationToken cancellationToken)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(handle) > HandshakeResolver.MaxHandleLength)
        {
            throw new InvalidOperationException($"{MessagingOptions.SectionName}:Handle is longer than {HandshakeResolver.MaxHandleLength} UTF-8 bytes.");
        }

        var directory = PickDirectory();
        _mailboxAddresses = ParseMailboxes();
        _keys = MessengerKeys.LoadOrCreate(_data.Path);
        var prekeyOptions = new PrekeyStoreOptions();
        _prekeyFile = new SealedStateFile(Path.Combine(_data.Path, "messaging-prekeys.sealed"), "prekeys", _keys.StorageKey, PrekeyStore.MaxSnapshotLength(prekeyOptions));
        _stateFile = new SealedStateFile(Path.Combine(_data.Path, "messaging-state.sealed"), "messenger-state", _keys.StorageKey, MessengerState.MaxLength);
        using (var saved = _prekeyFile.Read())
        {
            try
            {
                _prekeys = saved is null ? new PrekeyStore(_keys.Identity, prekeyOptions, _time) : PrekeyStore.Import(_keys.Identity, saved.ReadOnlySpan, prekeyOptions, _time);
            }
            catch (Chhaya.Safety.MalformedInputException e)
            {
                throw new InvalidDataException($"{_prekeyFile.Path} holds no valid prekeys ({e.Message}). Move it away to make new ones (messages sent to the old ones are lost).", e);
            }
        }

        SavePrekeysIfChanged();
        using (var saved = _stateFile.Read())
        {
            _state = saved is null ? new MessengerState() : MessengerState.Decode(saved.ReadOnlySpan);
        }

        var certificate = SenderCertificate.Create(_keys.Identity, _p2p.PeerId.Bytes, handle, (_time.GetUtcNow() + CertificateLifetime).ToUnixTimeSeconds());
        _endpoint = new MessagingEndpoint(_prekeys, certificate, time: _time);
        _protector = new RatchetStateProtector(_keys.StorageKey);
        _ratchets = new RatchetStateStore(_history, _protector);
        foreach (var (peer, sessionId) in _state.Sessions)
        {
            // The snapshot this state was saved with; a later one may exist if the node stopped between the two writes.
            var session = _state.SessionVersions.TryGetValue(peer, out var version)
                ? await _ratchets.LoadVersionAsync(sessionId, version, null, _time, cancellationToken).ConfigureAwait(false)
                : await _ratchets.LoadAsync(sessionId, null, _time, cancellationToken).ConfigureAwait(false);
            if (session is not null)
            {
                _endpoint.AdoptSession(session);
            }
        }

        _endpoint.RestoreAcceptedBaseKeys(_state.BaseKeys);

        foreach (var (peer, counters) in _state.Counters.Where(c => c.Value.Length == 2))
        {
            _endpoint.RestoreCounters(peer, counters[0], counters[1]);
        }

        foreach (var held in _state.Held.Where(h => h is { Peer: not null, MessageId: not null, Body: not null }))
        {
            _endpoint.RestoreHeld(held.Peer, new Chhaya.Messaging.Conversations.InboundMessage(held.MessageId, held.Sequence, held.SentAtUnixMs, held.Body, false), held.HeldSinceUnixMs);
        }

        _outbox = new Outbox(new OutboxOptions(), _time);
        foreach (var queued in _state.Outbox)
        {
            _outbox.Enqueue(queued.Recipient, queued.Envelope);
        }

        var trust = new DirectoryTrust(directory.Directory.DirectoryId, directory.Directory.Configuration, directory.VrfPublicKey, directory.Directory.HeadPublicKey);
        var verifier = new VkdProofVerifier(trust, EcVrfVerifier.Instance, new WitnessSetCertificateCheck(directory.Directory.Witnesses));
        _pins = new FilePinStore(Path.Combine(_data.Path, "contacts.json"));
        _resolver = new HandshakeResolver(verifier, new DirectoryLookupSource(_p2p.Host, directory, _history.Contexts, _time), _pins, _loggers.CreateLogger<HandshakeResolver>());
        var identityHex = Convert.ToHexStringLower(_keys.Identity.PublicKey);
        var (sessionCount, queuedCount) = (_state.Sessions.Count, _state.Outbox.Count);
        LogUser(_logger, handle, identityHex, directory.Name, sessionCount, queuedCount);
    }

    private ConfiguredDirectory PickDirectory()
    {
        var directories = FollowedDirectoryParser.Parse(_witnessOptions);
        var wanted = _options.Directory?.Trim();
        if (string.IsNullOrEmpty(wanted))
        {
            return directories.Count == 1
                ? directories[0]
                : throw new InvalidOperationException($"{MessagingOptions.SectionName}:Handle is set but {(directories.Count == 0 ? "no directory is followed (Witness:Directories)" : "several directories are followed")}: set {MessagingOptions.SectionName}:Directory to the name or id of the directory that binds handles.");
        }

        return directories.FirstOrDefault(d => string.Equals(d.Name, wanted, StringComparison.Ordinal) || string.Equals(d.Directory.Key, wanted, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"{MessagingOptions.SectionName}:Directory '{wanted}' is not among Witness:Directories.");
    }

    private List<Multiaddr> ParseMailboxes()
    {
        if (_options.Mailboxes.Count > PrekeyRecord.MaxMailboxes)
        {
            throw new InvalidOperationException($"{MessagingOptions.SectionName}:Mailboxes names {_options.Mailboxes.Count} peers; at most {PrekeyRecord.MaxMailboxes}.");
        }

        var addresses = new List<Multiaddr>();
        for (var i = 0; i < _options.Mailboxes.Count; i++)
        {
            Multiaddr address;
            try
            {
                address = Multiaddr.Parse(_options.Mailboxes[i]);
            }
            catch (Exception e) when (e is FormatException or Chhaya.Safety.MalformedInputException or ArgumentException)
            {
                throw new InvalidOperationException($"{MessagingOptions.SectionName}:Mailboxes:{i} is not a multiaddr: {e.Message}", e);
            }

            addresses.Add(address.PeerId is null
                ? throw new InvalidOperationException($"{MessagingOptions.SectionName}:Mailboxes:{i} must end in /p2p/PEERID.")
                : address);
        }

        return addresses;
    }

    /// <summary>Writes the prekeys when they changed since the last write. Call under the gate (or before starting).</summary>
    private void SavePrekeysIfChanged()
    {
        var generation = _prekeys!.Generation;
        if (generation == _savedPrekeyGeneration)
        {
            return;
        }

        using var state = _prekeys.Export();
        _prekeyFile!.Write(state.ReadOnlySpan);
        _savedPrekeyGeneration = generation;
    }

    /// <summary>Writes the messenger state, with the endpoint's counters and the outbox as they are now. Call under the gate.</summary>
    private void SaveState()
    {
        _state.Counters = _endpoint!.ExportCounters().ToDictionary(kv => kv.Key, kv => new[] { kv.Value.Sent, kv.Value.NextExpected }, StringComparer.Ordinal);
        _state.Outbox = [.. _outbox.Snapshot().Select(e => new QueuedEnvelope(e.Recipient, e.Envelope))];
        _state.BaseKeys = [.. _endpoint.ExportAcceptedBaseKeys()];
        var heldBytes = 0L;
        _state.Held = [.. _endpoint.ExportHeld()
            .TakeWhile(h => (heldBytes += h.Message.Body.Length) <= MessengerState.MaxHeldBytes)
            .Select(h => new HeldMessage(h.Peer, h.Message.MessageId, h.Message.Sequence, h.Message.SentAtUnixMs, h.Message.Body, h.HeldSinceUnixMs))];
        _state.Trim();
        _stateFile!.Write(_state.Encode());
        SavePrekeysIfChanged();
    }

    /// <summary>Appends a snapshot of the session with <paramref name="peerIdentity"/> to the log store and makes it current.</summary>
    private async Task SaveSessionAsync(byte[] peerIdentity, CancellationToken cancellationToken)
    {
        if (_endpoint!.SessionWith(peerIdentity) is { } session)
        {
            var version = await _ratchets!.SaveAsync(session, cancellationToken).ConfigureAwait(false);
            var peer = Convert.ToHexString(peerIdentity);
            _state.Sessions[peer] = session.SessionId;
            _state.SessionVersions[peer] = version;
        }
    }

    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Messaging as {Handle} (identity {Identity}) in directory {Directory}: {Sessions} session(s) and {Queued} queued envelope(s) restored")]
    private static partial void LogUser(ILogger logger, string handle, string identity, string directory, int sessions, int queued);

    [LoggerMessage(EventId = 8213, Level = LogLevel.Information, Message = "Mailbox: {Held} envelope(s) held for other users restored from the node database")]
    private static partial void LogMailboxLoaded(ILogger logger, int held);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Warning, Message = "Messaging is off: libp2p is disabled (P2p:Enabled=false)")]
    private static partial void LogNoP2p(ILogger logger);
}
