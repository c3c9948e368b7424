// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;
using Chhaya.LogStore;
using Chhaya.LogStore.Records;
using Chhaya.Node.Hosting;
using Chhaya.Node.Identity;
using Chhaya.Node.P2p;
using Chhaya.Witness;
using Chhaya.Witness.Following;
using Chhaya.Witness.Gossip;
using Chhaya.Witness.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.Witnessing;

/// <summary>
/// Runs the witness and auditor for every configured directory: a <see cref="DirectoryFollower"/> each,
/// joined to the gossip overlay, plus a loop that asks the directory's sources (or, failing them, peers that
/// serve it) for heads gossip did not bring and checks for stalls. Every follower audits each epoch; the node
/// co-signs a directory only when its BLS key is in that quorum. What it verified is served to peers on
/// <c>/chhaya/vkd/audit/1.0.0</c>.
/// </summary>
public sealed partial class WitnessService : BackgroundService
{
    /// <summary>Most heads fetched from sources for one directory in one poll.</summary>
    public const int MaxHeadsPerPoll = 64;

    private readonly WitnessOptions _options;
    private readonly HistoryStore _store;
    private readonly NodeP2pHost _p2p;
    private readonly DataDirectory _data;
    private readonly IWitnessGossip _gossip;
    private readonly IAlertNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<WitnessService> _logger;
    private readonly List<(DirectoryFollower Follower, ConfiguredDirectory Config, PeerDirectorySource Source)> _followers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BlsSecretKey? _key;
    private AlertRelay? _relay;
    private DirectoryProtocolServer? _server;

    public WitnessService(IOptions<WitnessOptions> options, HistoryStore store, NodeP2pHost p2p, DataDirectory data, IWitnessGossip gossip, IAlertNotifier notifier, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _store = store;
        _p2p = p2p;
        _data = data;
        _gossip = gossip;
        _notifier = notifier;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<WitnessService>();
    }

    /// <summary>The followers, once the service has started.</summary>
    public IReadOnlyList<DirectoryFollower> Followers => [.. _followers.Select(f => f.Follower)];

    /// <summary>Completes when every follower is attached.</summary>
    public Task Ready => _ready.Task;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Configuration errors stop the node here, with the key at fault named, rather than mid-run.
        var configured = FollowedDirectoryParser.Parse(_options);
        if (configured.Count > 0 && _options.CoSign)
        {
            _key = WitnessKey.LoadOrCreate(_data.WitnessKeyFile);
        }

        foreach (var entry in configured)
        {
            await RegisterAsync(entry, cancellationToken);
            var directory = entry.Directory;
            var source = new PeerDirectorySource(_p2p.Host, directory.DirectoryId, entry.Sources, h => h.VerifySignature(directory.HeadPublicKey.Span));
            var isMember = _key is not null && directory.Witnesses.IndexOf(_key.PublicKey) >= 0;

            // Not in the quorum: the same engine without a key, an auditor that verifies and stores but never signs.
            var engine = new WitnessEngine(directory, isMember ? _key : null, _store, source, _loggers.CreateLogger<WitnessEngine>());
            var follower = new DirectoryFollower(
                entry.Directory,
                engine,
                new CertificateAggregator(entry.Directory, _store, _loggers.CreateLogger<CertificateAggregator>()),
                _gossip,
                _store,
                new StallDetector(entry.EpochInterval, entry.StallMultiple, _time.GetUtcNow()),
                _notifier,
                _time,
                _loggers.CreateLogger<DirectoryFollower>());
            follower.Attach();
            _followers.Add((follower, entry, source));
            LogFollowing(_logger, entry.Name, entry.Directory.Key, isMember ? "witness" : "auditor", entry.Directory.Witnesses.Threshold, entry.Directory.Witnesses.Count);
        }

        if (configured.Count > 0)
        {
            // Serve what this node verified, so followers can audit without reaching the directory itself.
            _server = DirectoryProtocolServer.ForFollowedDirectories(configured.Select(c => c.Directory.DirectoryId), _store, _loggers.CreateLogger<DirectoryProtocolServer>());
            _server.Register(_p2p.Host.Router);
        }

        _relay = new AlertRelay(Followers, _store, _notifier, _loggers.CreateLogger<AlertRelay>());
        _relay.Attach(_gossip);
        _ready.TrySetResult();
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        foreach (var (follower, _, _) in _followers)
        {
            follower.Dispose();
        }

        _relay?.Dispose();
        _server?.Dispose();
        _key?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_followers.Count == 0)
        {
            return;
        }

        var poll = _options.PollIntervalSeconds > 0 ? TimeSpan.FromSeconds(_options.PollIntervalSeconds) : Timeout.InfiniteTimeSpan;
        var stall = TimeSpan.FromSeconds(Math.Max(0.1, _options.StallCheckSeconds));
        var tick = poll == Timeout.InfiniteTimeSpan ? stall : TimeSpan.FromTicks(Math.Min(poll.Ticks, stall.Ticks));
        var nextPoll = _time.GetUtcNow();
        using var timer = new PeriodicTimer(tick, _time);
        do
        {
            foreach (var (follower, config, source) in _followers)
            {
                try
                {
                    if (poll != Timeout.InfiniteTimeSpan && _time.GetUtcNow() >= nextPoll && _p2p.Enabled)
                    {
                        await PollAsync(follower, config, source, stoppingToken);
                    }

                    await follower.CheckStallAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever one poll runs into (a peer that is restarting, a full disk), the node keeps
                    // following: an exception escaping here would stop the whole node. The next tick retries.
                    LogPollFailed(_logger, config.Name, $"{e.GetType().Name}: {e.Message}");
                }
            }

            if (_time.GetUtcNow() >= nextPoll)
            {
                nextPoll = _time.GetUtcNow() + poll;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Asks the sources (or peers serving the directory) for the epochs after the newest this node has, one at a time.</summary>
    private async Task PollAsync(DirectoryFollower follower, ConfiguredDirectory config, PeerDirectorySource source, CancellationToken cancellationToken)
    {
        var next = await NextEpochAsync(follower, cancellationToken);
        for (var i = 0; i < MaxHeadsPerPoll; i++)
        {
            var head = await source.GetHeadAsync(next, cancellationToken);
            if (head is null)
            {
                return;
            }

            var outcome = await follower.OfferHeadAsync(head, "directory source", cancellationToken);
            if (outcome is { Disposition: HeadDisposition.Rejected or HeadDisposition.Halted or HeadDisposition.Equivocation })
            {
                LogPolledHeadRefused(_logger, config.Name, next, outcome.Disposition.ToString(), outcome.Reason ?? "");
                return;
            }

            next++;
        }
    }

    private async Task<ulong> NextEpochAsync(DirectoryFollower follower, CancellationToken cancellationToken)
    {
        var key = follower.Directory.Key;
        using var db = _store.Contexts.Create();
        var stored = await db.EpochHeads.AsNoTracking().Where(h => h.DirectoryId == key).MaxAsync(h => (long?)h.Epoch, cancellationToken);
        var seen = follower.Stall.LatestEpoch;
        var newest = Math.Max(stored ?? -1, seen is { } s ? (long)s : -1);
        return (ulong)(newest + 1);
    }

    /// <summary>Records the directory's registration, once per change of its keys, configuration or quorum.</summary>
    private async Task RegisterAsync(ConfiguredDirectory entry, CancellationToken cancellationToken)
    {
        var quorum = Convert.ToHexStringLower(entry.Directory.Witnesses.Encoded);
        var key = entry.Directory.Key;
        DirectoryRecord? latest;
        using (var db = _store.Contexts.Create())
        {
            latest = await db.Directories.AsNoTracking().Where(d => d.DirectoryId == key).OrderByDescending(d => d.Sequence).FirstOrDefaultAsync(cancellationToken);
        }

        var record = new DirectoryRecord
        {
            DirectoryId = key,
            DisplayName = entry.Name,
            Configuration = entry.Directory.Configuration.Name,
            HeadPublicKey = entry.Directory.HeadPublicKey.ToArray(),
            VrfPublicKey = entry.VrfPublicKey,
            QuorumDescriptor = quorum,
        };
        if (latest is not null && latest.DisplayName == record.DisplayName && latest.Configuration == record.Configuration
            && latest.HeadPublicKey.AsSpan().SequenceEqual(record.HeadPublicKey) && latest.VrfPublicKey.AsSpan().SequenceEqual(record.VrfPublicKey)
            && latest.QuorumDescriptor == quorum)
        {
            return;
        }

        await _store.AppendAsync(record, cancellationToken);
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Following directory {Name} ({Directory}) as {Role}; quorum {Threshold} of {Count}")]
    private static partial void LogFollowing(ILogger logger, string name, string directory, string role, int threshold, int count);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Polling directory {Name} failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Warning, Message = "Directory {Name}: the head of epoch {Epoch} from its sources was {Disposition}: {Reason}")]
    private static partial void LogPolledHeadRefused(ILogger logger, string name, ulong epoch, string disposition, string reason);
}
