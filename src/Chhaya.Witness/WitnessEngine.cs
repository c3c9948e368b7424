// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
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
/// <para>Everything the engine decides from is in the history store, so a restarted engine picks up exactly
/// where the last one stopped: it never signs a second root for an epoch it co-signed before.</para>
/// <para>Without a BLS key the engine is an <em>auditor</em>: the same pipeline, the same checks and the same
/// evidence, but it signs nothing. Its progress is the last head it audited (the newest valid row in
/// <c>audit_results</c>) instead of the last head it co-signed.</para>
/// </remarks>
public sealed partial class WitnessEngine : IDisposable
{
    /// <summary>How many epochs one head may ask the witness to catch up on.</summary>
    public const int MaxCatchUpEpochs = 4096;

    /// <summary>Most proofs tried for one step before the head is refused (each failing one is stored as evidence).</summary>
    public const int MaxProofCandidates = 8;

    /// <summary>
    /// Failing proofs of one step kept in full (with evidence raised). Proofs are unsigned, so any peer can
    /// serve garbage of up to the protocol's size bound; beyond these, a failing proof is recorded by its
    /// length and SHA-256 only, so hostile peers cannot fill the disk.
    /// </summary>
    public const int MaxKeptFailingProofsPerStep = 2;

    /// <summary>The verdict of an audit step whose proof verified.</summary>
    public const string ValidVerdict = "valid";

    private static readonly Meter Meter = new("Chhaya.Witness", "1.0");
    private static readonly Counter<long> Heads = Meter.CreateCounter<long>("chhaya.witness.heads", "{head}", "Heads offered to the witness, by outcome.");

    private readonly FollowedDirectory _directory;
    private readonly BlsSecretKey? _key;
    private readonly HistoryStore _store;
    private readonly IDirectorySource _source;
    private readonly ILogger<WitnessEngine> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="directory">The directory followed.</param>
    /// <param name="witnessKey">This node's BLS key when it co-signs; null for an auditor, which verifies and stores but never signs.</param>
    /// <param name="store">The node's history store: every decision is made from it.</param>
    /// <param name="source">Where missing heads and append-only proofs are fetched (untrusted).</param>
    /// <param name="logger">Logs decisions.</param>
    public WitnessEngine(FollowedDirectory directory, BlsSecretKey? witnessKey, HistoryStore store, IDirectorySource source, ILogger<WitnessEngine> logger)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _key = witnessKey;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>This witness's BLS public key; null for an auditor.</summary>
    public BlsPublicKey? PublicKey => _key?.PublicKey;

    /// <summary>Whether this engine co-signs (a witness) or only audits (an auditor).</summary>
    public bool IsWitness => _key is not null;

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
                return new HeadOutcome(HeadDisposition.Halted, _key is null
                    ? "this auditor stopped auditing the directory after evidence of equivocation"
                    : "this witness stopped co-signing the directory after evidence of equivocation", [], null);
            }

            if (_key is null)
            {
                var audited = await LastAuditedAsync(cancellationToken).ConfigureAwait(false);
                if (audited is not null && head.Head.Epoch <= audited.Head.Epoch)
                {
                    return await WasAuditedAsync(head, cancellationToken).ConfigureAwait(false)
                        ? new HeadOutcome(HeadDisposition.AlreadyAudited, null, [], null)
                        : new HeadOutcome(HeadDisposition.Stale, $"epoch {head.Head.Epoch} is before the last audited epoch {audited.Head.Epoch}", [], null);
                }

                return await CatchUpFromAsync(audited, head, source, cancellationToken).ConfigureAwait(false);
            }

            var last = await LastCoSignedAsync(cancellationToken).ConfigureAwait(false);
            if (last is not null && head.Head.Epoch <= last.Value.Head.Head.Epoch)
            {
                var mine = await MyCoSignatureAsync(head.Head.Epoch, cancellationToken).ConfigureAwait(false);
                return mine is not null && mine.Value.Root.SequenceEqual(head.Head.Root.ToArray())
                    ? new HeadOutcome(HeadDisposition.AlreadyCoSigned, null, [mine.Value.Signature], null)
                    : new HeadOutcome(HeadDisposition.Stale, $"epoch {head.Head.Epoch} is before the last co-signed epoch {last.Value.Head.Head.Epoch}", [], null);
            }

            return await CatchUpFromAsync(last?.Head, head, source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Catches up from the last accepted head (co-signed or audited; null when there is none) to <paramref name="target"/>.</summary>
    private Task<HeadOutcome> CatchUpFromAsync(SignedEpochHead? last, SignedEpochHead target, string source, CancellationToken cancellationToken)
    {
        var first = last is null ? 0UL : last.Head.Epoch + 1;
        return target.Head.Epoch - first >= MaxCatchUpEpochs
            ? Task.FromResult(HeadOutcome.Rejected($"epoch {target.Head.Epoch} is more than {MaxCatchUpEpochs} epochs past what this node has audited ({first}); it catches up in steps"))
            : CatchUpAsync(last, first, target, source, cancellationToken);
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
                return HeadOutcome.Rejected("a node with no audited history starts from epoch 0");
            }

            // An auditor's step is already persisted (the audit result above); only a witness signs.
            if (_key is not null)
            {
                signatures.Add(await CoSignAsync(_key, current, cancellationToken).ConfigureAwait(false));
            }

            previous = current;
        }

        return _key is null
            ? new HeadOutcome(HeadDisposition.Audited, null, [], null)
            : new HeadOutcome(HeadDisposition.CoSigned, null, signatures, null);
    }

    /// <summary>
    /// Verifies the step from <paramref name="previous"/> to <paramref name="current"/> with the first proof
    /// offered that verifies; every proof tried is stored with its verdict. Null when the step verified.
    /// </summary>
    private async Task<HeadOutcome?> AuditAsync(SignedEpochHead previous, SignedEpochHead current, CancellationToken cancellationToken)
    {
        HeadOutcome? refused = null;
        var candidates = _source.GetAppendOnlyProofCandidatesAsync(previous.Head.Epoch, current.Head.Epoch, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var disposeCandidates = candidates.ConfigureAwait(false);
        for (var tried = 0; tried < MaxProofCandidates; tried++)
        {
            try
            {
                if (!await candidates.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or MalformedInputException or InvalidOperationException)
            {
                return refused ?? HeadOutcome.Rejected($"no append-only proof to epoch {current.Head.Epoch} could be fetched: {e.Message}");
            }

            var proofBytes = candidates.Current;
            var failure = VerifyStep(previous, current, proofBytes);
            var keep = failure is null || await KeptFailingProofsAsync(previous, current, cancellationToken).ConfigureAwait(false) < MaxKeptFailingProofsPerStep;
            await _store.AppendAsync(new AuditResultRecord
            {
                DirectoryId = _directory.Key,
                FromEpoch = (long)previous.Head.Epoch,
                ToEpoch = (long)current.Head.Epoch,
                FromRoot = previous.Head.Root.ToArray(),
                ToRoot = current.Head.Root.ToArray(),
                Verdict = failure is null ? ValidVerdict : "invalid",
                Failure = keep ? failure : $"{failure} (proof of {proofBytes.Length} bytes, SHA-256 {Convert.ToHexStringLower(SHA256.HashData(proofBytes))}, not kept: {MaxKeptFailingProofsPerStep} failing proofs of this step are stored already)",
                Proof = keep ? proofBytes : [],
            }, cancellationToken).ConfigureAwait(false);

            if (failure is null)
            {
                return null;
            }

            // Tell the source, so a peer that served it is not asked again for a while.
            _source.ReportFailedProof(previous.Head.Epoch, current.Head.Epoch);
            if (!keep)
            {
                refused ??= HeadOutcome.Rejected($"the append-only proofs offered for epoch {current.Head.Epoch} fail: {failure}");
                continue;
            }

            // Proofs are not signed, so a bad one may come from a lying peer rather than the directory: record
            // the evidence and try the next proof offered; without one, refuse this head but keep following.
            var evidence = EvidenceBundle.AppendOnlyProofFailed(_directory.HeadPublicKey.Span, previous, current, _directory.Configuration.Name, proofBytes);
            var outcome = await RaiseAsync(evidence, current.Head.Epoch, $"the append-only proof to epoch {current.Head.Epoch} fails: {failure}", halt: false, cancellationToken).ConfigureAwait(false);
            refused = outcome with { Disposition = HeadDisposition.Rejected };
        }

        return refused ?? HeadOutcome.Rejected($"no source offered an append-only proof to epoch {current.Head.Epoch}");
    }

    /// <summary>Null when <paramref name="proofBytes"/> proves the one-epoch step between the two heads; else why not.</summary>
    private string? VerifyStep(SignedEpochHead previous, SignedEpochHead current, byte[] proofBytes)
    {
        try
        {
            var proof = AkdProofCodec.DecodeAppendOnlyProof(proofBytes);
            // AKD's layout: one step per epoch, Epochs[i] naming the epoch the step starts from.
            if (proof.Proofs.Count != 1 || proof.Epochs.Count != 1 || proof.Epochs[0] != previous.Head.Epoch || current.Head.Epoch != previous.Head.Epoch + 1)
            {
                return "the proof does not cover exactly these two epochs";
            }

            AppendOnlyVerifier.Verify(_directory.Configuration, [previous.Head.Root, current.Head.Root], proof, previous.Head.Epoch);
            return null;
        }
        catch (MalformedInputException e)
        {
            return "the proof is malformed: " + e.Message;
        }
        catch (VkdVerificationException e)
        {
            return e.Message;
        }
    }

    private async Task<CoSignature> CoSignAsync(BlsSecretKey key, SignedEpochHead head, CancellationToken cancellationToken)
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
        var coSignature = CoSignature.Create(key, statement);

        // Persist before release: once this row is durable the signature may leave the process.
        await _store.AppendAsync(new CoSignatureRecord
        {
            DirectoryId = _directory.Key,
            Epoch = (long)head.Head.Epoch,
            Root = head.Head.Root.ToArray(),
            WitnessPublicKey = key.PublicKey.Bytes.ToArray(),
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
        var consequence = (halt, _key is null) switch
        {
            (true, false) => $"This witness no longer co-signs directory {_directory.Key}.",
            (true, true) => $"This auditor no longer audits directory {_directory.Key}.",
            (false, false) => "The head was not co-signed; it is tried again when it arrives from another source.",
            (false, true) => "The head was not accepted; it is tried again when it arrives from another source.",
        };
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
        var publicKey = WitnessPublicKey;
        var key = publicKey.Bytes.ToArray();
        using var db = _store.Contexts.Create();
        var row = await db.CoSignatures.AsNoTracking()
            .Where(c => c.DirectoryId == _directory.Key && c.WitnessPublicKey == key)
            .OrderByDescending(c => c.Epoch)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : (SignedEpochHead.Decode(row.SignedHead), new CoSignature(publicKey, BlsSignature.Decode(row.Signature)));
    }

    private async Task<(byte[] Root, CoSignature Signature)?> MyCoSignatureAsync(ulong epoch, CancellationToken cancellationToken)
    {
        var publicKey = WitnessPublicKey;
        var key = publicKey.Bytes.ToArray();
        var e = (long)epoch;
        using var db = _store.Contexts.Create();
        var row = await db.CoSignatures.AsNoTracking()
            .Where(c => c.DirectoryId == _directory.Key && c.WitnessPublicKey == key && c.Epoch == e)
            .OrderBy(c => c.Sequence)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : (row.Root, new CoSignature(publicKey, BlsSignature.Decode(row.Signature)));
    }

    private BlsPublicKey WitnessPublicKey => _key?.PublicKey ?? throw new InvalidOperationException("An auditor has no co-signatures.");

    /// <summary>
    /// An auditor's progress: the head at the end of the newest valid audit step. Every valid step was stored
    /// only after its head extended the previous accepted head and its proof verified, so the steps form one chain.
    /// </summary>
    private async Task<SignedEpochHead?> LastAuditedAsync(CancellationToken cancellationToken)
    {
        using var db = _store.Contexts.Create();
        var step = await db.AuditResults.AsNoTracking()
            .Where(a => a.DirectoryId == _directory.Key && a.Verdict == ValidVerdict)
            .OrderByDescending(a => a.ToEpoch).ThenBy(a => a.Sequence)
            .Select(a => new { a.ToEpoch, a.ToRoot })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (step is null)
        {
            return null;
        }

        var heads = await db.EpochHeads.AsNoTracking()
            .Where(h => h.DirectoryId == _directory.Key && h.Epoch == step.ToEpoch && h.Root == step.ToRoot)
            .OrderBy(h => h.Sequence)
            .Select(h => h.SignedHead)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

        // The engine stores a head before it audits the step to it; a missing row means a store edited by hand.
        return heads is null
            ? throw new InvalidOperationException($"The audited head of epoch {step.ToEpoch} of directory {_directory.Key} is not in the store.")
            : SignedEpochHead.Decode(heads);
    }

    /// <summary>Failing proofs of the step between the two heads already stored in full.</summary>
    private async Task<int> KeptFailingProofsAsync(SignedEpochHead previous, SignedEpochHead current, CancellationToken cancellationToken)
    {
        var (from, to) = ((long)previous.Head.Epoch, (long)current.Head.Epoch);
        var root = current.Head.Root.ToArray();
        // A parameter, not the constant 0: EF rewrites "Length > 0" on a byte array into Any(), which it cannot translate.
        var kept = 1;
        using var db = _store.Contexts.Create();
        return await db.AuditResults.AsNoTracking().CountAsync(
            a => a.DirectoryId == _directory.Key && a.FromEpoch == from && a.ToEpoch == to && a.ToRoot == root && a.Verdict != ValidVerdict && a.Proof.Length >= kept,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether an auditor accepted exactly this head: it starts or ends a valid audit step.</summary>
    private async Task<bool> WasAuditedAsync(SignedEpochHead head, CancellationToken cancellationToken)
    {
        var e = (long)head.Head.Epoch;
        var root = head.Head.Root.ToArray();
        using var db = _store.Contexts.Create();
        return await db.AuditResults.AsNoTracking().AnyAsync(
            a => a.DirectoryId == _directory.Key && a.Verdict == ValidVerdict && ((a.ToEpoch == e && a.ToRoot == root) || (a.FromEpoch == e && a.FromRoot == root)),
            cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _gate.Dispose();

    private static HeadOutcome Partial(List<CoSignature> signed, HeadOutcome failure) =>
        signed.Count == 0 ? failure : failure with { CoSignatures = signed };

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Co-signed epoch {Epoch} of directory {Directory}")]
    private static partial void LogCoSigned(ILogger logger, string directory, ulong epoch);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Rejected head of epoch {Epoch} for directory {Directory} from {Source}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string directory, ulong epoch, string source, string reason);
}
