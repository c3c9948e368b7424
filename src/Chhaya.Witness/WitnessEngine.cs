// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.Metrics;
using Chhaya.Bls;
using Chhaya.LogStore;
using Chhaya.LogStore.Records;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;
using Chhaya.Witness.Evidence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness;

/// <summary>
/// The witness for one directory (DESIGN: "A witness, on a new head"): verify the directory signature;
/// if the head conflicts with one seen for its epoch or does not extend the last co-signed head, store
/// evidence, raise an alert and stop co-signing; otherwise fetch and verify the append-only proof from the
/// last co-signed root, persist, and only then release the BLS co-signature. Gaps are filled epoch by epoch.
/// </summary>
/// <remarks>
/// Everything the engine decides from is in the history store, so a restarted engine picks up exactly where
/// the last one stopped: it never signs a second root for an epoch it co-signed before.
/// </remarks>
public sealed partial class WitnessEngine : IDisposable
{
    /// <summary>How many epochs one head may ask the witness to catch up on.</summary>
    public const int MaxCatchUpEpochs = 4096;

    private static readonly Meter Meter = new("Chhaya.Witness", "1.0");
    private static readonly Counter<long> Heads = Meter.CreateCounter<long>("chhaya.witness.heads", "{head}", "Heads offered to the witness, by outcome.");

    private readonly FollowedDirectory _directory;
    private readonly BlsSecretKey _key;
    private readonly HistoryStore _store;
    private readonly IDirectorySource _source;
    private readonly ILogger<WitnessEngine> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public WitnessEngine(FollowedDirectory directory, BlsSecretKey witnessKey, HistoryStore store, IDirectorySource source, ILogger<WitnessEngine> logger)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _key = witnessKey ?? throw new ArgumentNullException(nameof(witnessKey));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>This witness's BLS public key.</summary>
    public BlsPublicKey PublicKey => _key.PublicKey;

    /// <summary>
    /// Runs <paramref name="action"/> while no head is being decided. Evidence learned elsewhere (gossiped
    /// alerts, split views) is stored this way, so a co-signature already under way finishes first and
    /// every decision after it sees the evidence.
    /// </summary>
    public async Task<T> RunExclusiveAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Offers a head (from gossip or a peer) to the witness.</summary>
    public async Task<HeadOutcome> OnHeadAsync(SignedEpochHead head, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        var outcome = await DecideAsync(head, source, cancellationToken).ConfigureAwait(false);
        Heads.Add(1, new KeyValuePair<string, object?>("chhaya.outcome", outcome.Disposition.ToString()));
        return outcome;
    }

    private async Task<HeadOutcome> DecideAsync(SignedEpochHead head, string source, CancellationToken cancellationToken)
    {
        if (head.Head.DirectoryId != _directory.DirectoryId)
        {
            return HeadOutcome.Rejected("the head is for another directory");
        }

        if (!head.VerifySignature(_directory.HeadPublicKey.Span))
        {
            LogRejected(_logger, _directory.Key, head.Head.Epoch, source, "bad directory signature");
            return HeadOutcome.Rejected("the directory signature does not verify");
        }

        if (head.Head.Epoch > long.MaxValue)
        {
            return HeadOutcome.Rejected("the epoch number is beyond what the store can hold");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await RecordHeadAsync(head, source, cancellationToken).ConfigureAwait(false) is { } conflict)
            {
                if (await HasConflictEvidenceAsync(head.Head.Epoch, cancellationToken).ConfigureAwait(false))
                {
                    // The fork is already on record; a directory that keeps showing it adds nothing new.
                    return new HeadOutcome(HeadDisposition.Halted, $"the fork at epoch {head.Head.Epoch} is already on record", [], null);
                }

                return await RaiseAsync(EvidenceBundle.ConflictingHeads(_directory.HeadPublicKey.Span, conflict, head), head.Head.Epoch,
                    $"the directory signed two roots for epoch {head.Head.Epoch}", halt: true, cancellationToken).ConfigureAwait(false);
            }

            if (await IsHaltedAsync(cancellationToken).ConfigureAwait(false))
            {
                return new HeadOutcome(HeadDisposition.Halted, "this witness stopped co-signing the directory after evidence of equivocation", [], null);
            }

            var last = await LastCoSignedAsync(cancellationToken).ConfigureAwait(false);
            if (last is not null && head.Head.Epoch <= last.Value.Head.Head.Epoch)
            {
                var mine = await MyCoSignatureAsync(head.Head.Epoch, cancellationToken).ConfigureAwait(false);
                return mine is not null && mine.Value.Root.SequenceEqual(head.Head.Root.ToArray())
                    ? new HeadOutcome(HeadDisposition.AlreadyCoSigned, null, [mine.Value.Signature], null)
                    : new HeadOutcome(HeadDisposition.Stale, $"epoch {head.Head.Epoch} is before the last co-signed epoch {last.Value.Head.Head.Epoch}", [], null);
            }

            var first = last is null ? 0UL : last.Value.Head.Head.Epoch + 1;
            if (head.Head.Epoch - first >= MaxCatchUpEpochs)
            {
                return HeadOutcome.Rejected($"epoch {head.Head.Epoch} is more than {MaxCatchUpEpochs} epochs past what this witness has audited ({first}); it catches up in steps");
            }

            return await CatchUpAsync(last?.Head, first, head, source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HeadOutcome> CatchUpAsync(SignedEpochHead? previous, ulong first, SignedEpochHead target, string source, CancellationToken cancellationToken)
    {
        var signatures = new List<CoSignature>();
        for (var epoch = first; epoch <= target.Head.Epoch; epoch++)
        {
            var current = epoch == target.Head.Epoch ? target : await FetchHeadAsync(epoch, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return Partial(signatures, HeadOutcome.Rejected($"the head of epoch {epoch} is needed to catch up and no source has a valid one"));
            }

            if (!ReferenceEquals(current, target) && await RecordHeadAsync(current, "directory source", cancellationToken).ConfigureAwait(false) is { } conflict)
            {
                return await RaiseAsync(EvidenceBundle.ConflictingHeads(_directory.HeadPublicKey.Span, conflict, current), epoch,
                    $"the directory signed two roots for epoch {epoch}", halt: true, cancellationToken).ConfigureAwait(false);
            }

            if (previous is not null)
            {
                if (current.Head.PreviousRoot != previous.Head.Root)
                {
                    return await RaiseAsync(EvidenceBundle.NonExtendingHead(_directory.HeadPublicKey.Span, previous, current), epoch,
                        $"the head of epoch {epoch} does not extend the co-signed head of epoch {previous.Head.Epoch}", halt: true, cancellationToken).ConfigureAwait(false);
                }

                var failure = await AuditAsync(previous, current, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return Partial(signatures, failure);
                }
            }
            else if (epoch != 0)
            {
                return HeadOutcome.Rejected("a witness with no audited history starts from epoch 0");
            }

            signatures.Add(await CoSignAsync(current, cancellationToken).ConfigureAwait(false));
            previous = current;
        }

        return new HeadOutcome(HeadDisposition.CoSigned, null, signatures, null);
    }

    private async Task<HeadOutcome?> AuditAsync(SignedEpochHead previous, SignedEpochHead current, CancellationToken cancellationToken)
    {
        byte[] proofBytes;
        try
        {
            proofBytes = await _source.GetAppendOnlyProofAsync(previous.Head.Epoch, current.Head.Epoch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or MalformedInputException or InvalidOperationException)
        {
            return HeadOutcome.Rejected($"no append-only proof to epoch {current.Head.Epoch} could be fetched: {e.Message}");
        }

        string? failure = null;
        try
        {
            var proof = AkdProofCodec.DecodeAppendOnlyProof(proofBytes);
            // AKD's layout: one step per epoch, Epochs[i] naming the epoch the step starts from.
            if (proof.Proofs.Count != 1 || proof.Epochs.Count != 1 || proof.Epochs[0] != previous.Head.Epoch || current.Head.Epoch != previous.Head.Epoch + 1)
            {
                failure = "the proof does not cover exactly these two epochs";
            }
            else
            {
                AppendOnlyVerifier.Verify(_directory.Configuration, [previous.Head.Root, current.Head.Root], proof, previous.Head.Epoch);
            }
        }
        catch (MalformedInputException e)
        {
            failure = "the proof is malformed: " + e.Message;
        }
        catch (VkdVerificationException e)
        {
            failure = e.Message;
        }

        await _store.AppendAsync(new AuditResultRecord
        {
            DirectoryId = _directory.Key,
            FromEpoch = (long)previous.Head.Epoch,
            ToEpoch = (long)current.Head.Epoch,
            FromRoot = previous.Head.Root.ToArray(),
            ToRoot = current.Head.Root.ToArray(),
            Verdict = failure is null ? "valid" : "invalid",
            Failure = failure,
            Proof = proofBytes,
        }, cancellationToken).ConfigureAwait(false);

        if (failure is null)
        {
            return null;
        }

        // Proofs are not signed, so a bad one may come from a lying peer rather than the directory: record
        // the evidence and refuse this head, but keep following the directory.
        var evidence = EvidenceBundle.AppendOnlyProofFailed(_directory.HeadPublicKey.Span, previous, current, _directory.Configuration.Name, proofBytes);
        var outcome = await RaiseAsync(evidence, current.Head.Epoch, $"the append-only proof to epoch {current.Head.Epoch} fails: {failure}", halt: false, cancellationToken).ConfigureAwait(false);
        return outcome with { Disposition = HeadDisposition.Rejected };
    }

    private async Task<CoSignature> CoSignAsync(SignedEpochHead head, CancellationToken cancellationToken)
    {
        var mine = await MyCoSignatureAsync(head.Head.Epoch, cancellationToken).ConfigureAwait(false);
        if (mine is not null)
        {
            if (!mine.Value.Root.SequenceEqual(head.Head.Root.ToArray()))
            {
                // Unreachable while the checks above hold; the store is the last line of defence.
                throw new InvalidOperationException($"Refusing to co-sign a second root for epoch {head.Head.Epoch}.");
            }

            return mine.Value.Signature;
        }

        var statement = head.Head.Encode();
        var coSignature = CoSignature.Create(_key, statement);

        // Persist before release: once this row is durable the signature may leave the process.
        await _store.AppendAsync(new CoSignatureRecord
        {
            DirectoryId = _directory.Key,
            Epoch = (long)head.Head.Epoch,
            Root = head.Head.Root.ToArray(),
            WitnessPublicKey = _key.PublicKey.Bytes.ToArray(),
            Signature = coSignature.Signature.Bytes.ToArray(),
            SignedHead = head.Encode(),
        }, cancellationToken).ConfigureAwait(false);
        LogCoSigned(_logger, _directory.Key, head.Head.Epoch);
        return coSignature;
    }

    /// <summary>Stores a validly signed head once; returns an earlier head with another root for the same epoch, if any.</summary>
    private async Task<SignedEpochHead?> RecordHeadAsync(SignedEpochHead head, string source, CancellationToken cancellationToken)
    {
        var epoch = (long)head.Head.Epoch;
        List<byte[]> seen;
        using (var db = _store.Contexts.Create())
        {
            seen = await db.EpochHeads.AsNoTracking()
                .Where(h => h.DirectoryId == _directory.Key && h.Epoch == epoch)
                .OrderBy(h => h.Sequence)
                .Select(h => h.SignedHead)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var root = head.Head.Root.ToArray();
        foreach (var bytes in seen)
        {
            var earlier = SignedEpochHead.Decode(bytes);
            if (!earlier.Head.Root.ToArray().AsSpan().SequenceEqual(root))
            {
                return earlier;
            }
        }

        if (seen.Count == 0)
        {
            await _store.AppendAsync(new EpochHeadRecord
            {
                DirectoryId = _directory.Key,
                Epoch = epoch,
                Root = root,
                PreviousRoot = head.Head.PreviousRoot.ToArray(),
                HeadTimestampUnixMs = head.Head.TimestampUnixMilliseconds,
                SignedHead = head.Encode(),
                Source = source,
            }, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<SignedEpochHead?> FetchHeadAsync(ulong epoch, CancellationToken cancellationToken)
    {
        SignedEpochHead? head;
        try
        {
            head = await _source.GetHeadAsync(epoch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or MalformedInputException or InvalidOperationException)
        {
            return null;
        }

        return head is not null && head.Head.Epoch == epoch && head.Head.DirectoryId == _directory.DirectoryId && head.VerifySignature(_directory.HeadPublicKey.Span)
            ? head
            : null;
    }

    private async Task<HeadOutcome> RaiseAsync(EvidenceBundle evidence, ulong epoch, string summary, bool halt, CancellationToken cancellationToken)
    {
        var consequence = halt
            ? $"This witness no longer co-signs directory {_directory.Key}."
            : "The head was not co-signed; it is tried again when it arrives from another source.";
        await EvidenceLedger.RaiseAsync(_store, _logger, _directory.Key, epoch, evidence, summary, consequence, halt, cancellationToken).ConfigureAwait(false);
        return new HeadOutcome(halt ? HeadDisposition.Equivocation : HeadDisposition.Rejected, summary, [], evidence);
    }

    private async Task<bool> HasConflictEvidenceAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var kind = EvidenceKinds.Name(EvidenceKind.ConflictingHeads);
        var e = (long)epoch;
        using var db = _store.Contexts.Create();
        return await db.EquivocationEvidence.AnyAsync(x => x.DirectoryId == _directory.Key && x.Epoch == e && x.Kind == kind, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> IsHaltedAsync(CancellationToken cancellationToken)
    {
        string[] halting = [EvidenceKinds.Name(EvidenceKind.ConflictingHeads), EvidenceKinds.Name(EvidenceKind.NonExtendingHead)];
        using var db = _store.Contexts.Create();
        return await db.EquivocationEvidence.AnyAsync(e => e.DirectoryId == _directory.Key && halting.Contains(e.Kind), cancellationToken).ConfigureAwait(false);
    }

    private async Task<(SignedEpochHead Head, CoSignature Signature)?> LastCoSignedAsync(CancellationToken cancellationToken)
    {
        var key = _key.PublicKey.Bytes.ToArray();
        using var db = _store.Contexts.Create();
        var row = await db.CoSignatures.AsNoTracking()
            .Where(c => c.DirectoryId == _directory.Key && c.WitnessPublicKey == key)
            .OrderByDescending(c => c.Epoch)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : (SignedEpochHead.Decode(row.SignedHead), new CoSignature(_key.PublicKey, BlsSignature.Decode(row.Signature)));
    }

    private async Task<(byte[] Root, CoSignature Signature)?> MyCoSignatureAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var key = _key.PublicKey.Bytes.ToArray();
        var e = (long)epoch;
        using var db = _store.Contexts.Create();
        var row = await db.CoSignatures.AsNoTracking()
            .Where(c => c.DirectoryId == _directory.Key && c.WitnessPublicKey == key && c.Epoch == e)
            .OrderBy(c => c.Sequence)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : (row.Root, new CoSignature(_key.PublicKey, BlsSignature.Decode(row.Signature)));
    }

    public void Dispose() => _gate.Dispose();

    private static HeadOutcome Partial(List<CoSignature> signed, HeadOutcome failure) =>
        signed.Count == 0 ? failure : failure with { CoSignatures = signed };

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Co-signed epoch {Epoch} of directory {Directory}")]
    private static partial void LogCoSigned(ILogger logger, string directory, ulong epoch);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Rejected head of epoch {Epoch} for directory {Directory} from {Source}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string directory, ulong epoch, string source, string reason);
}
