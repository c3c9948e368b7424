// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Threading.Channels;
using Chhaya.LogStore.DirectoryState;
using Chhaya.LogStore.Storage;
using Chhaya.Node.Hosting;
using Chhaya.Node.P2p;
using Chhaya.Node.Witnessing;
using Chhaya.Quorum;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Verification;
using Chhaya.Witness;
using Chhaya.Witness.Gossip;
using Chhaya.Witness.Protocol;
using Chhaya.Witness.Storage;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.Producer;

/// <summary>
/// The producer role: this node runs a key directory, persisted in the node's store, publishes an epoch
/// every interval (even an empty one), gossips each signed head, and serves heads and proofs over
/// <c>/chhaya/vkd/audit/1.0.0</c> and lookups over <c>/chhaya/vkd/lookup/1.0.0</c>. Updates queue through <see cref="Enqueue"/> (the admin channel).
/// </summary>
public sealed partial class ProducerService : BackgroundService
{
    /// <summary>Most updates waiting for the next epoch; further ones are refused until it is published.</summary>
    public const int MaxPendingUpdates = 100_000;

    private readonly ProducerOptions _options;
    private readonly DataDirectory _data;
    private readonly LogStoreContextFactory _contexts;
    private readonly NodeP2pHost _p2p;
    private readonly IWitnessGossip _gossip;
    private readonly WitnessService _witness;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<ProducerService> _logger;
    private readonly Channel<KeyValuePair<byte[], byte[]>> _pending = Channel.CreateBounded<KeyValuePair<byte[], byte[]>>(MaxPendingUpdates);
    private readonly TaskCompletionSource<VkdDirectory> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DirectoryKeys? _keys;
    private VkdDirectory? _directory;
    private EcVrfProver? _prover;
    private DirectoryProtocolServer? _server;
    private LookupProtocolServer? _lookup;
    private SignedEpochHead? _forged;

    public ProducerService(IOptions<ProducerOptions> options, DataDirectory data, LogStoreContextFactory contexts, NodeP2pHost p2p, IWitnessGossip gossip, WitnessService witness, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _data = data;
        _contexts = contexts;
        _p2p = p2p;
        _gossip = gossip;
        _witness = witness;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ProducerService>();
    }

    public bool Enabled => _options.Enabled;

    /// <summary>The running directory, once opened.</summary>
    public Task<VkdDirectory> Directory => _opened.Task;

    /// <summary>Queues an update for the next epoch; false when the queue is full.</summary>
    public bool Enqueue(byte[] label, byte[] value) => _options.Enabled && _pending.Writer.TryWrite(new(label, value));

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var configuration = DirectoryConfigurations.Find(_options.Configuration)
            ?? throw new InvalidOperationException($"{ProducerOptions.SectionName}:Configuration '{_options.Configuration}' is not known; use 'experimental' or 'whatsapp_v1'.");
        if (!double.IsFinite(_options.EpochIntervalSeconds) || _options.EpochIntervalSeconds is < 0.1 or > 86400)
        {
            throw new InvalidOperationException($"{ProducerOptions.SectionName}:EpochIntervalSeconds must be between 0.1 and 86400, not {_options.EpochIntervalSeconds}.");
        }

        if (_options.RandomUpdatesPerEpoch is < 0 or > 100_000)
        {
            throw new InvalidOperationException($"{ProducerOptions.SectionName}:RandomUpdatesPerEpoch must be between 0 and 100000.");
        }

        _keys = DirectoryKeys.LoadOrCreate(_data.Path);
        _prover = new EcVrfProver(_keys.VrfKey);
        var store = new LogStoreVkdStore(new DirectoryStateStore(_contexts, _keys.DirectoryId.ToHex()));
        _directory = await VkdDirectory.OpenAsync(new VkdDirectoryOptions(configuration, _keys.DirectoryId, _prover, _keys.CommitmentKey, _keys.HeadSeed), store, _time, cancellationToken);
        _server = new DirectoryProtocolServer([(_keys.DirectoryId, _directory)], _loggers.CreateLogger<DirectoryProtocolServer>());
        _server.Register(_p2p.Host.Router);
        _lookup = new LookupProtocolServer([(_keys.DirectoryId, _directory)], FindCertificateAsync, _loggers.CreateLogger<LookupProtocolServer>());
        _lookup.Register(_p2p.Host.Router);
        _opened.TrySetResult(_directory);
        var directoryHex = _keys.DirectoryId.ToHex();
        var headKeyHex = Convert.ToHexStringLower(_keys.HeadPublicKey);
        var vrfKeyHex = Convert.ToHexStringLower(_keys.VrfPublicKey);
        LogRunning(_logger, _options.Name, directoryHex, _directory.LatestHead.Head.Epoch, headKeyHex, vrfKeyHex);
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _server?.Dispose();
        _lookup?.Dispose();
        _directory?.Dispose();
        _prover?.Dispose();
        _keys?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_directory is null || _keys is null)
        {
            return;
        }

        await _witness.Ready.WaitAsync(stoppingToken);
        var topic = WitnessTopics.Heads(_keys.DirectoryId);
        await AnnounceAsync(topic, _directory.LatestHead, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.EpochIntervalSeconds), _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var updates = TakeUpdates();
            var head = await _directory.PublishAsync(updates, stoppingToken);
            LogPublished(_logger, head.Head.Epoch, updates.Count, head.Head.Root);
            await AnnounceAsync(topic, head, stoppingToken);
            if (_options.EquivocateAtEpoch is { } fork && (ulong)fork == head.Head.Epoch)
            {
                _forged = SignedEpochHead.Sign(head.Head with { Root = new Digest(RandomNumberGenerator.GetBytes(Digest.Length)) }, _keys.HeadSeed);
                LogEquivocating(_logger, head.Head.Epoch);
            }

            if (_forged is not null)
            {
                // The forked head keeps being shown, so nodes that join later see the fork too.
                await AnnounceAsync(topic, _forged, stoppingToken);
            }
        }
    }

    /// <summary>Gossips a head and offers it to this node's own follower of the directory, if any.</summary>
    private async Task AnnounceAsync(string topic, SignedEpochHead head, CancellationToken cancellationToken)
    {
        try
        {
            await _gossip.PublishAsync(topic, head.Encode(), cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Witnesses also poll for heads, so a head gossip missed still reaches them.
            LogGossipFailed(_logger, head.Head.Epoch, e.Message);
        }

        foreach (var follower in _witness.Followers.Where(f => f.Directory.DirectoryId == head.Head.DirectoryId))
        {
            await follower.OfferHeadAsync(head, "local producer", cancellationToken);
        }
    }

    /// <summary>
    /// The certificate this node stored for an epoch of its directory, for lookup answers. The node has
    /// certificates when it also follows its own directory (Witness:Directories), as devnet's does.
    /// </summary>
    private async Task<QuorumCertificate?> FindCertificateAsync(Digest directory, ulong epoch, CancellationToken cancellationToken)
    {
        using var db = _contexts.Create();
        var row = await db.FirstCertificateAsync(directory.ToHex(), epoch, cancellationToken);
        return row is null ? null : QuorumCertificate.Decode(row);
    }

    private List<KeyValuePair<byte[], byte[]>> TakeUpdates()
    {
        var updates = new Dictionary<string, KeyValuePair<byte[], byte[]>>(StringComparer.Ordinal);
        while (updates.Count < MaxPendingUpdates && _pending.Reader.TryRead(out var update))
        {
            // The latest value for a label within one epoch wins: a publish takes each label once.
            updates[Convert.ToBase64String(update.Key)] = update;
        }

        for (var i = 0; i < _options.RandomUpdatesPerEpoch; i++)
        {
            var label = System.Text.Encoding.UTF8.GetBytes($"user-{RandomNumberGenerator.GetHexString(16, lowercase: true)}");
            updates[Convert.ToBase64String(label)] = new(label, RandomNumberGenerator.GetBytes(32));
        }

        return [.. updates.Values];
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Running directory {Name} ({Directory}) at epoch {Epoch}; head key {HeadKey}, VRF key {VrfKey}")]
    private static partial void LogRunning(ILogger logger, string name, string directory, ulong epoch, string headKey, string vrfKey);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Published epoch {Epoch} with {Updates} updates, root {Root}")]
    private static partial void LogPublished(ILogger logger, ulong epoch, int updates, Digest root);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Equivocating on purpose at epoch {Epoch} (Producer:EquivocateAtEpoch): a second head with another root is gossiped")]
    private static partial void LogEquivocating(ILogger logger, ulong epoch);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Gossiping the head of epoch {Epoch} failed: {Reason}")]
    private static partial void LogGossipFailed(ILogger logger, ulong epoch, string reason);
}
