// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Bls;
using Chhaya.LogStore;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Witness.Evidence;
using Chhaya.Witness.Gossip;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness.Following;

/// <summary>
/// The <c>chhaya/alerts/1</c> topic: evidence other nodes found. Every bundle is verified offline before it
/// spreads; a bundle about a directory this node follows is stored like its own findings, so a witness
/// that learns by gossip that its directory equivocated stops co-signing it too.
/// </summary>
public sealed partial class AlertRelay(IReadOnlyList<DirectoryFollower> followers, HistoryStore store, IAlertNotifier notifier, ILogger<AlertRelay> logger) : IDisposable
{
    /// <summary>Largest bundle relayed: transferable kinds are a few hundred bytes.</summary>
    public const int MaxGossipedEvidenceLength = 4096;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Whether evidence of this kind proves misbehaviour to anyone. A failed append-only proof does not:
    /// proofs are unsigned, so it shows only that someone served a bad proof; it stays local.
    /// </summary>
    public static bool IsTransferable(EvidenceKind kind) => kind is EvidenceKind.ConflictingHeads or EvidenceKind.NonExtendingHead or EvidenceKind.WitnessEquivocation;

    public void Attach(IWitnessGossip gossip)
    {
        ArgumentNullException.ThrowIfNull(gossip);
        gossip.Subscribe(WitnessTopics.Alerts, Validate, (m, ct) => OfferAsync(m.Data, m.From, ct));
    }

    /// <summary>Accepts a transferable bundle whose evidence holds, whoever it is about.</summary>
    public static GossipVerdict Validate(ReadOnlyMemory<byte> data)
    {
        if (data.Length > MaxGossipedEvidenceLength)
        {
            return GossipVerdict.Reject;
        }

        try
        {
            var bundle = EvidenceBundle.Decode(data.Span);
            return IsTransferable(bundle.Kind) && bundle.Verify() is null ? GossipVerdict.Accept : GossipVerdict.Reject;
        }
        catch (MalformedInputException)
        {
            return GossipVerdict.Reject;
        }
    }

    /// <summary>Stores a verified bundle about a followed directory, once; returns whether it was new.</summary>
    public async Task<bool> OfferAsync(ReadOnlyMemory<byte> data, string from, CancellationToken cancellationToken)
    {
        if (Validate(data) != GossipVerdict.Accept)
        {
            return false;
        }

        var bundle = EvidenceBundle.Decode(data.Span);
        if (Concerns(bundle) is not var (follower, epoch))
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Stored between the witness's decisions, so none started before it can co-sign after it.
            return await follower.ExclusiveAsync(() => StoreOnceAsync(follower, bundle, epoch, from, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> StoreOnceAsync(DirectoryFollower follower, EvidenceBundle bundle, ulong epoch, string from, CancellationToken cancellationToken)
    {
        var encoded = bundle.Encode();
        var digest = SHA256.HashData(encoded);
        var key = follower.Directory.Key;
        var e = (long)epoch;
        var kind = EvidenceKinds.Name(bundle.Kind);
        using (var db = store.Contexts.Create())
        {
            var known = await db.EquivocationEvidence.AsNoTracking()
                .Where(x => x.DirectoryId == key && x.Epoch == e && x.Kind == kind)
                .Select(x => x.Evidence)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (known.Any(k => SHA256.HashData(k).AsSpan().SequenceEqual(digest)))
            {
                return false;
            }
        }

        var summary = $"{kind} at epoch {epoch}, received from {from} and verified here";
        var halts = bundle.Kind != EvidenceKind.WitnessEquivocation;
        await EvidenceLedger.RaiseAsync(store, logger, key, epoch, bundle, summary,
            (halts, follower.IsWitness, follower.Audits) switch
            {
                (true, true, _) => $"This witness no longer co-signs directory {key}.",
                (true, false, true) => $"This auditor no longer audits directory {key}.",
                _ => "Verify the bundle offline with chhaya evidence verify.",
            },
            critical: true, cancellationToken).ConfigureAwait(false);
        notifier.Notify(new WitnessAlert(kind, "critical", key, epoch, summary, encoded));
        LogRelayed(logger, kind, key, from);
        return true;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The followed directory a verified bundle accuses (or whose witness it accuses), and the epoch.</summary>
    private (DirectoryFollower Follower, ulong Epoch)? Concerns(EvidenceBundle bundle)
    {
        Digest directory;
        ulong epoch;
        if (bundle.Kind == EvidenceKind.WitnessEquivocation)
        {
            var head = EpochHead.Decode(bundle.Items[0]);
            (directory, epoch) = (head.DirectoryId, head.Epoch);
        }
        else
        {
            var head = SignedEpochHead.Decode(bundle.Items[0]);
            (directory, epoch) = (head.Head.DirectoryId, head.Head.Epoch);
        }

        var follower = followers.FirstOrDefault(f => f.Directory.DirectoryId == directory);
        if (follower is null || epoch > long.MaxValue)
        {
            return null;
        }

        // The accused key must be the one this node trusts for that role, or the bundle is about someone else.
        var accusedIsOurs = bundle.Kind == EvidenceKind.WitnessEquivocation
            ? follower.Directory.Witnesses.IndexOf(BlsPublicKey.Decode(bundle.Key)) >= 0
            : bundle.Key.AsSpan().SequenceEqual(follower.Directory.HeadPublicKey.Span);
        return accusedIsOurs ? (follower, epoch) : null;
    }

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Evidence ({Kind}) about directory {Directory} received from {From} verified and stored")]
    private static partial void LogRelayed(ILogger logger, string kind, string directory, string from);
}
