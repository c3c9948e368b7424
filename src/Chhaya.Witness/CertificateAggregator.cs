// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;
using Chhaya.LogStore;
using Chhaya.LogStore.Records;
using Chhaya.Quorum;
using Chhaya.Vkd.Epochs;
using Chhaya.Witness.Evidence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness;

/// <summary>The result of offering a co-signature or a certificate.</summary>
/// <param name="Accepted">Whether the input verified and is now stored.</param>
/// <param name="Reason">Why it was refused, when it was.</param>
/// <param name="Certificate">A certificate this input completed (or the one received), to gossip.</param>
/// <param name="Evidence">Evidence the input revealed, to gossip on the alerts topic.</param>
public sealed record AggregationOutcome(bool Accepted, string? Reason, QuorumCertificate? Certificate, EvidenceBundle? Evidence);

/// <summary>
/// Collects co-signatures on one directory's heads from any witness of its quorum, aggregates t or more
/// on one head into a quorum certificate, checks certificates received from others before storing them,
/// and catches witnesses that co-sign two roots for one epoch and directories that show two roots.
/// Every node can run it, witness or not.
/// </summary>
public sealed partial class CertificateAggregator(FollowedDirectory directory, HistoryStore store, ILogger<CertificateAggregator> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Offers a co-signature, with the signed head it covers.</summary>
    /// <param name="head">The directory-signed head the co-signature covers.</param>
    /// <param name="coSignature">The co-signature.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="signatureVerified">
    /// True only when the caller has just verified this co-signature over this head (the gossip validator did, or this
    /// node made it); the BLS check, the costliest step, is then not repeated. Everything else is still checked.
    /// </param>
    public async Task<AggregationOutcome> OnCoSignatureAsync(SignedEpochHead head, CoSignature coSignature, CancellationToken cancellationToken, bool signatureVerified = false)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(coSignature);
        if (CheckHead(head) is { } headProblem)
        {
            return new AggregationOutcome(false, headProblem, null, null);
        }

        if (directory.Witnesses.IndexOf(coSignature.Signer) < 0)
        {
            return new AggregationOutcome(false, "the signer is not a witness of this directory's quorum", null, null);
        }

        var statement = head.Head.Encode();
        if (!signatureVerified && !coSignature.Verify(statement))
        {
            return new AggregationOutcome(false, "the co-signature does not verify", null, null);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var epoch = (long)head.Head.Epoch;
            var root = head.Head.Root.ToArray();
            var signer = coSignature.Signer.Bytes.ToArray();
            List<CoSignatureRecord> sameEpoch;
            using (var db = store.Contexts.Create())
            {
                sameEpoch = await db.CoSignatures.AsNoTracking()
                    .Where(c => c.DirectoryId == directory.Key && c.Epoch == epoch)
                    .OrderBy(c => c.Sequence)
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
            }

            var otherRoot = sameEpoch.FirstOrDefault(c => !c.Root.AsSpan().SequenceEqual(root));
            EvidenceBundle? evidence = null;
            if (otherRoot is not null)
            {
                var earlierHead = SignedEpochHead.Decode(otherRoot.SignedHead);
                if (otherRoot.WitnessPublicKey.AsSpan().SequenceEqual(signer))
                {
                    evidence = EvidenceBundle.WitnessEquivocation(coSignature.Signer, earlierHead.Head, new CoSignature(coSignature.Signer, BlsSignature.Decode(otherRoot.Signature)), head.Head, coSignature);
                    await EvidenceLedger.RaiseAsync(store, logger, directory.Key, head.Head.Epoch, evidence,
                        $"witness {coSignature.Signer} co-signed two roots for epoch {head.Head.Epoch}", "Its co-signatures for this epoch are not counted.", true, cancellationToken).ConfigureAwait(false);
                    return new AggregationOutcome(false, "the witness co-signed another root for this epoch", null, evidence);
                }

                // Split view: other witnesses vouch for a root this node has not seen vouched for before.
                evidence = EvidenceBundle.ConflictingHeads(directory.HeadPublicKey.Span, earlierHead, head);
                await EvidenceLedger.RaiseAsync(store, logger, directory.Key, head.Head.Epoch, evidence,
                    $"witnesses co-signed two different roots for epoch {head.Head.Epoch}: the directory showed a split view", "Clients must not accept either root without a certificate.", true, cancellationToken).ConfigureAwait(false);
            }

            if (!sameEpoch.Any(c => c.WitnessPublicKey.AsSpan().SequenceEqual(signer) && c.Root.AsSpan().SequenceEqual(root)))
            {
                var stored = new CoSignatureRecord
                {
                    DirectoryId = directory.Key,
                    Epoch = epoch,
                    Root = root,
                    WitnessPublicKey = signer,
                    Signature = coSignature.Signature.Bytes.ToArray(),
                    SignedHead = head.Encode(),
                };
                await store.AppendAsync(stored, cancellationToken).ConfigureAwait(false);
                sameEpoch.Add(stored);
            }

            var certificate = await TryCertifyAsync(head, statement, sameEpoch.Where(c => c.Root.AsSpan().SequenceEqual(root)), cancellationToken).ConfigureAwait(false);
            return new AggregationOutcome(true, null, certificate, evidence);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks a certificate received from a peer and stores it when valid and new.</summary>
    /// <param name="head">The directory-signed head the certificate covers.</param>
    /// <param name="certificate">The certificate.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="certificateValidated">True only when the caller has just validated this certificate against the quorum (the gossip validator).</param>
    public async Task<AggregationOutcome> OnCertificateAsync(SignedEpochHead head, QuorumCertificate certificate, CancellationToken cancellationToken, bool certificateValidated = false)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(certificate);
        if (CheckHead(head) is { } headProblem)
        {
            return new AggregationOutcome(false, headProblem, null, null);
        }

        var error = certificateValidated ? QuorumValidationError.None : certificate.Validate(directory.Witnesses, head.Head.Encode());
        if (error != QuorumValidationError.None)
        {
            LogCertificateRefused(logger, directory.Key, head.Head.Epoch, error.ToString());
            return new AggregationOutcome(false, $"the certificate is invalid: {error}", null, null);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StoreCertificateAsync(head, certificate, cancellationToken).ConfigureAwait(false);
            return new AggregationOutcome(true, null, certificate, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? CheckHead(SignedEpochHead head)
    {
        if (head.Head.DirectoryId != directory.DirectoryId)
        {
            return "the head is for another directory";
        }

        if (head.Head.Epoch > long.MaxValue)
        {
            return "the epoch number is beyond what the store can hold";
        }

        return head.VerifySignature(directory.HeadPublicKey.Span) ? null : "the directory signature on the head does not verify";
    }

    private async Task<QuorumCertificate?> TryCertifyAsync(SignedEpochHead head, byte[] statement, IEnumerable<CoSignatureRecord> coSignatures, CancellationToken cancellationToken)
    {
        var builder = new QuorumCertificateBuilder(directory.Witnesses, statement);
        foreach (var row in coSignatures)
        {
            // Rows were verified before they were stored; TryAdd checks membership and duplicates again.
            builder.TryAdd(new CoSignature(BlsPublicKey.Decode(row.WitnessPublicKey), BlsSignature.Decode(row.Signature)));
        }

        if (!builder.HasQuorum)
        {
            return null;
        }

        // Only a certificate this node did not have yet is returned to be gossiped: co-signatures past the
        // threshold would otherwise send a fresh certificate for the same head round the network each time.
        var certificate = builder.Build();
        return await StoreCertificateAsync(head, certificate, cancellationToken).ConfigureAwait(false) ? certificate : null;
    }

    /// <summary>Stores the certificate unless one for this head is stored; returns whether it was new.</summary>
    private async Task<bool> StoreCertificateAsync(SignedEpochHead head, QuorumCertificate certificate, CancellationToken cancellationToken)
    {
        var epoch = (long)head.Head.Epoch;
        var root = head.Head.Root.ToArray();
        using (var db = store.Contexts.Create())
        {
            if (await db.QuorumCertificates.AnyAsync(q => q.DirectoryId == directory.Key && q.Epoch == epoch && q.Root == root, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        await store.AppendAsync(new QuorumCertificateRecord
        {
            DirectoryId = directory.Key,
            Epoch = epoch,
            Root = root,
            SignerBitmap = certificate.SignerBitmap.ToArray(),
            AggregateSignature = certificate.AggregateSignature.Bytes.ToArray(),
            Certificate = certificate.Encode(),
        }, cancellationToken).ConfigureAwait(false);
        LogCertified(logger, directory.Key, head.Head.Epoch, certificate.SignerIndices.Count);
        return true;
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Quorum certificate for epoch {Epoch} of directory {Directory} with {Signers} signers")]
    private static partial void LogCertified(ILogger logger, string directory, ulong epoch, int signers);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Refused a certificate for epoch {Epoch} of directory {Directory}: {Error}")]
    private static partial void LogCertificateRefused(ILogger logger, string directory, ulong epoch, string error);
}
