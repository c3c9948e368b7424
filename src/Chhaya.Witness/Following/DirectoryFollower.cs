// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Chhaya.LogStore.Records;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Epochs;
using Chhaya.Witness.Evidence;
using Chhaya.Witness.Gossip;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness.Following;

/// <summary>
/// Everything a node does for one followed directory, joined to the gossip overlay: heads go to the
/// engine (a witness that co-signs when this node is in the directory's quorum, an auditor that runs the
/// same checks and signs nothing otherwise), co-signatures and certificates to the aggregator, and what
/// they produce (co-signatures, certificates, evidence) goes back out. A stall detector watches for a
/// directory that stops publishing.
/// </summary>
public sealed partial class DirectoryFollower : IDisposable
{
    private readonly WitnessEngine? _engine;
    private readonly CertificateAggregator _aggregator;
    private readonly IWitnessGossip _gossip;
    private readonly HistoryStore _store;
    private readonly IAlertNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly ILogger<DirectoryFollower> _logger;
    private readonly CertifiedEpochs _certified = new();

    public DirectoryFollower(
        FollowedDirectory directory,
        WitnessEngine? engine,
        CertificateAggregator aggregator,
        IWitnessGossip gossip,
        HistoryStore store,
        StallDetector stall,
        IAlertNotifier notifier,
        TimeProvider time,
        ILogger<DirectoryFollower> logger)
    {
        Directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _engine = engine;
        _aggregator = aggregator ?? throw new ArgumentNullException(nameof(aggregator));
        _gossip = gossip ?? throw new ArgumentNullException(nameof(gossip));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        Stall = stall ?? throw new ArgumentNullException(nameof(stall));
        _notifier = notifier ?? throw new ArgumentNullException(nameof(notifier));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public FollowedDirectory Directory { get; }

    public StallDetector Stall { get; }

    /// <summary>Whether this node co-signs the directory's heads.</summary>
    public bool IsWitness => _engine?.IsWitness ?? false;

    /// <summary>Whether heads are checked by an engine (witness or auditor); false for a follower that only aggregates.</summary>
    public bool Audits => _engine is not null;

    /// <summary>Joins the directory's head, co-signature and certificate topics.</summary>
    public void Attach()
    {
        _gossip.Subscribe(WitnessTopics.Heads(Directory.DirectoryId), ValidateHead, (m, ct) => OfferHeadAsync(SignedEpochHead.Decode(m.Data.Span), $"gossip from {m.From}", ct));
        // Delivery follows acceptance by the validator, which verified the BLS signatures of these very bytes.
        _gossip.Subscribe(WitnessTopics.CoSignatures(Directory.DirectoryId), ValidateCoSignature, (m, ct) => OfferCoSignatureAsync(WitnessGossipCodec.DecodeCoSignature(m.Data.Span), ct, signatureVerified: true));
        _gossip.Subscribe(WitnessTopics.Certificates(Directory.DirectoryId), ValidateCertificate, (m, ct) => OfferCertificateAsync(WitnessGossipCodec.DecodeCertificate(m.Data.Span), ct, certificateValidated: true));
    }

    /// <summary>Accepts any head the directory signed, conflicting ones included: those must spread.</summary>
    public GossipVerdict ValidateHead(ReadOnlyMemory<byte> data)
    {
        try
        {
            var head = SignedEpochHead.Decode(data.Span);
            return head.Head.DirectoryId == Directory.DirectoryId && head.VerifySignature(Directory.HeadPublicKey.Span)
                ? GossipVerdict.Accept
                : GossipVerdict.Reject;
        }
        catch (MalformedInputException)
        {
            return GossipVerdict.Reject;
        }
    }

    public GossipVerdict ValidateCoSignature(ReadOnlyMemory<byte> data)
    {
        try
        {
            var message = WitnessGossipCodec.DecodeCoSignature(data.Span);
            return IsOurs(message.Head)
                && Directory.Witnesses.IndexOf(message.CoSignature.Signer) >= 0
                && message.CoSignature.Verify(message.Head.Head.Encode())
                ? GossipVerdict.Accept
                : GossipVerdict.Reject;
        }
        catch (MalformedInputException)
        {
            return GossipVerdict.Reject;
        }
    }

    public GossipVerdict ValidateCertificate(ReadOnlyMemory<byte> data)
    {
        try
        {
            var message = WitnessGossipCodec.DecodeCertificate(data.Span);
            if (IsOurs(message.Head) && _certified.Contains(message.Head.Head.Epoch, message.Head.Head.Root))
            {
                // This node holds a certificate over this very root already: no BLS work, not passed on again.
                return GossipVerdict.Ignore;
            }

            return IsOurs(message.Head) && message.Certificate.Validate(Directory.Witnesses, message.Head.Head.Encode()) == QuorumValidationError.None
                ? GossipVerdict.Accept
                : GossipVerdict.Reject;
        }
        catch (MalformedInputException)
        {
            return GossipVerdict.Reject;
        }
    }

    /// <summary>A head from gossip, a poll of the directory, or the local producer.</summary>
    public async Task<HeadOutcome?> OfferHeadAsync(SignedEpochHead head, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (!IsOurs(head))
        {
            return null;
        }

        Stall.Observe(head.Head.Epoch, _time.GetUtcNow());
        if (_engine is null)
        {
            return null;
        }

        var outcome = await _engine.OnHeadAsync(head, source, cancellationToken).ConfigureAwait(false);
        if (outcome.Evidence is { } evidence)
        {
            await SpreadEvidenceAsync(evidence, head.Head.Epoch, outcome.Reason ?? "evidence", outcome.Disposition == HeadDisposition.Equivocation, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Disposition is HeadDisposition.CoSigned or HeadDisposition.Rejected)
        {
            // One co-signature per epoch caught up on, in epoch order; each row in the store names its head.
            foreach (var coSignature in outcome.CoSignatures)
            {
                if (await LoadCoSignedHeadAsync(coSignature, cancellationToken).ConfigureAwait(false) is not { } signed)
                {
                    continue;
                }

                await PublishAsync(WitnessTopics.CoSignatures(Directory.DirectoryId), WitnessGossipCodec.EncodeCoSignature(signed, coSignature), cancellationToken).ConfigureAwait(false);
                await OfferCoSignatureAsync(new CoSignatureMessage(signed, coSignature), cancellationToken, signatureVerified: true).ConfigureAwait(false);
            }
        }

        return outcome;
    }

    /// <summary>A co-signature from gossip or from this node's own engine.</summary>
    /// <param name="message">The co-signature and the head it covers.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="signatureVerified">True when its BLS signature was just verified (by the gossip validator) or made here.</param>
    public async Task OfferCoSignatureAsync(CoSignatureMessage message, CancellationToken cancellationToken, bool signatureVerified = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Split-view evidence found here must halt the engine before its next decision.
        var outcome = await ExclusiveAsync(() => _aggregator.OnCoSignatureAsync(message.Head, message.CoSignature, cancellationToken, signatureVerified), cancellationToken).ConfigureAwait(false);
        if (outcome.Evidence is { } evidence)
        {
            await SpreadEvidenceAsync(evidence, message.Head.Head.Epoch, outcome.Reason ?? "co-signatures over two roots for one epoch", critical: true, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Certificate is { } certificate)
        {
            // Published before it is marked as held: the router runs this node's own validator on it too.
            await PublishAsync(WitnessTopics.Certificates(Directory.DirectoryId), WitnessGossipCodec.EncodeCertificate(message.Head, certificate), cancellationToken).ConfigureAwait(false);
            _certified.Add(message.Head.Head.Epoch, message.Head.Head.Root);
        }
    }

    /// <summary>A certificate from gossip: checked by the aggregator before it is stored.</summary>
    /// <param name="message">The certificate and the head it covers.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="certificateValidated">True when the gossip validator just validated it against the quorum.</param>
    public async Task OfferCertificateAsync(CertificateMessage message, CancellationToken cancellationToken, bool certificateValidated = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outcome = await _aggregator.OnCertificateAsync(message.Head, message.Certificate, cancellationToken, certificateValidated).ConfigureAwait(false);
        if (outcome.Accepted)
        {
            _certified.Add(message.Head.Head.Epoch, message.Head.Head.Root);
        }
    }

    /// <summary>Runs <paramref name="action"/> between the engine's decisions (at once when there is no engine).</summary>
    internal Task<T> ExclusiveAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken) =>
        _engine is null ? action() : _engine.RunExclusiveAsync(action, cancellationToken);

    /// <summary>Raises a stall alert when the directory has been silent too long; returns whether it did.</summary>
    public async Task<bool> CheckStallAsync(CancellationToken cancellationToken)
    {
        if (Stall.Check(_time.GetUtcNow()) is not { } silent)
        {
            return false;
        }

        var latest = Stall.LatestEpoch;
        var summary = latest is { } e
            ? $"Directory {Directory.Key} published no new epoch for {silent.TotalSeconds:0} s after epoch {e} (limit {Stall.Limit.TotalSeconds:0} s)"
            : $"No epoch of directory {Directory.Key} arrived in {silent.TotalSeconds:0} s since this node started (limit {Stall.Limit.TotalSeconds:0} s)";
        await _store.AppendAsync(new AlertRecord
        {
            Kind = "stall",
            Severity = "warning",
            DirectoryId = Directory.Key,
            Message = summary + ". Check that the directory is running and that this node has a path to it (chhaya p2p peers).",
        }, cancellationToken).ConfigureAwait(false);
        LogStalled(_logger, Directory.Key, silent.TotalSeconds);
        _notifier.Notify(new WitnessAlert("stall", "warning", Directory.Key, latest ?? 0, summary, null));
        return true;
    }

    public void Dispose()
    {
        _engine?.Dispose();
        _aggregator.Dispose();
    }

    private async Task SpreadEvidenceAsync(EvidenceBundle evidence, ulong epoch, string summary, bool critical, CancellationToken cancellationToken)
    {
        var encoded = evidence.Encode();
        _notifier.Notify(new WitnessAlert(EvidenceKinds.Name(evidence.Kind), critical ? "critical" : "warning", Directory.Key, epoch, summary, encoded));
        if (AlertRelay.IsTransferable(evidence.Kind))
        {
            await PublishAsync(WitnessTopics.Alerts, encoded, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishAsync(string topic, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await _gossip.PublishAsync(topic, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Nothing is lost: everything published is in the store and is offered again to peers that ask.
            LogPublishFailed(_logger, topic, e.Message);
        }
    }

    private async Task<SignedEpochHead?> LoadCoSignedHeadAsync(CoSignature coSignature, CancellationToken cancellationToken)
    {
        var signature = coSignature.Signature.Bytes.ToArray();
        using var db = _store.Contexts.Create();
        var row = await db.CoSignatures.AsNoTracking()
            .Where(c => c.DirectoryId == Directory.Key && c.Signature == signature)
            .Select(c => c.SignedHead)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : SignedEpochHead.Decode(row);
    }

    private bool IsOurs(SignedEpochHead head) =>
        head.Head.DirectoryId == Directory.DirectoryId && head.Head.Epoch <= long.MaxValue && head.VerifySignature(Directory.HeadPublicKey.Span);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Directory {Directory} looks stalled: no new epoch for {Seconds:0} s")]
    private static partial void LogStalled(ILogger logger, string directory, double seconds);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Publishing on {Topic} failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string topic, string reason);
}
