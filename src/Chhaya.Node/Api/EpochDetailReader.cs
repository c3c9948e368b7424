// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Records;
using Chhaya.LogStore.Storage;
using Chhaya.Node.Witnessing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.Api;

/// <summary>
/// Read-only queries for one epoch, the stored audit proofs and witness liveness. Every query is bounded
/// (rows per epoch, the liveness window) so a long or hostile history cannot make a request expensive.
/// </summary>
public sealed class EpochDetailReader(LogStoreContextFactory contexts, IOptions<WitnessOptions> witness)
{
    /// <summary>Rows of each kind returned for one epoch. A witness set or an honest epoch has far fewer.</summary>
    public const int MaxRowsPerEpoch = 256;

    /// <summary>How many of the newest epochs witness liveness looks at.</summary>
    public const long LivenessWindowEpochs = 1024;

    public async Task<EpochDetail?> EpochAsync(string id, long epoch, CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        var heads = await db.EpochHeads.AsNoTracking()
            .Where(h => h.DirectoryId == id && h.Epoch == epoch)
            .OrderBy(h => h.Sequence).Take(MaxRowsPerEpoch)
            .ToListAsync(cancellationToken);
        var audits = await AuditRows(db.AuditResults.Where(a => a.DirectoryId == id && a.ToEpoch == epoch), MaxRowsPerEpoch).ToListAsync(cancellationToken);
        var coSignatures = await db.CoSignatures.AsNoTracking()
            .Where(c => c.DirectoryId == id && c.Epoch == epoch)
            .OrderBy(c => c.Sequence).Take(MaxRowsPerEpoch)
            .ToListAsync(cancellationToken);
        var certificates = await db.QuorumCertificates.AsNoTracking()
            .Where(q => q.DirectoryId == id && q.Epoch == epoch)
            .OrderBy(q => q.Sequence).Take(MaxRowsPerEpoch)
            .ToListAsync(cancellationToken);
        var evidence = await db.EquivocationEvidence.AsNoTracking()
            .Where(e => e.DirectoryId == id && e.Epoch == epoch)
            .OrderBy(e => e.Sequence).Take(MaxRowsPerEpoch)
            .Select(e => e.Sequence)
            .ToListAsync(cancellationToken);
        if (heads.Count == 0 && audits.Count == 0 && coSignatures.Count == 0 && certificates.Count == 0 && evidence.Count == 0)
        {
            return null;
        }

        var quorum = witness.Value.Find(id)?.Quorum;
        return new EpochDetail(
            id,
            epoch,
            heads.Select(h => h.Root).Distinct(ByteArrayComparer.Instance).Count() > 1,
            [.. heads.Select(h => new EpochView(h.Sequence, h.Epoch, Hex(h.Root), Hex(h.PreviousRoot), FromMs(h.HeadTimestampUnixMs), FromMs(h.RecordedAtUnixMs), h.Source, Hex(h.SignedHead)))],
            [.. audits.Select(View)],
            [.. coSignatures.Select(c => new CoSignatureView(c.Sequence, c.Epoch, Hex(c.Root), Hex(c.WitnessPublicKey), Hex(c.Signature), FromMs(c.RecordedAtUnixMs)))],
            [.. certificates.Select(q => new CertifiedEpochView(
                new CertificateView(q.Sequence, q.Epoch, Hex(q.Root), Hex(q.SignerBitmap), Hex(q.AggregateSignature), Hex(q.Certificate), FromMs(q.RecordedAtUnixMs)),
                SignerIndices(q.SignerBitmap).Count(),
                quorum?.Threshold,
                quorum is null ? null : [.. SignerIndices(q.SignerBitmap).Where(i => i < quorum.Witnesses.Count).Select(i => quorum.Witnesses[i].PublicKey.ToLowerInvariant())]))],
            evidence);
    }

    /// <summary>Audit results of one directory in sequence order, without the proof bytes.</summary>
    public async Task<Page<AuditView>> AuditsAsync(string id, long after, int limit, CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        var rows = await AuditRows(db.AuditResults.Where(a => a.DirectoryId == id && a.Sequence > after), limit + 1).ToListAsync(cancellationToken);
        return new Page<AuditView>([.. rows.Take(limit).Select(View)], rows.Count > limit ? rows[limit - 1].Sequence : null);
    }

    /// <summary>The proof of one audit result exactly as received, or null when there is no such row.</summary>
    public async Task<byte[]?> AuditProofAsync(long sequence, CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        return await db.AuditResults.AsNoTracking().Where(a => a.Sequence == sequence).Select(a => a.Proof).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The configured witnesses of a directory (and any other key seen co-signing it) with their last
    /// co-signature inside the newest <see cref="LivenessWindowEpochs"/> epochs, from the co-signatures stored
    /// and from the signer bits of stored certificates; null when the node neither follows the directory nor
    /// holds anything of it.
    /// </summary>
    public async Task<WitnessesView?> WitnessesAsync(string id, CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        var latest = await db.EpochHeads.AsNoTracking().Where(h => h.DirectoryId == id)
            .OrderByDescending(h => h.Epoch).Select(h => (long?)h.Epoch).FirstOrDefaultAsync(cancellationToken);
        var configured = witness.Value.Find(id);
        if (latest is null && configured is null)
        {
            return null;
        }

        // One grouped scan of the window (indexed on directory and epoch), not one query per witness.
        var from = (latest ?? 0) - LivenessWindowEpochs + 1;
        var seen = await db.CoSignatures.AsNoTracking()
            .Where(c => c.DirectoryId == id && c.Epoch >= from)
            .GroupBy(c => c.WitnessPublicKey)
            .Select(g => new { Key = g.Key, Epoch = g.Max(c => c.Epoch), At = g.Max(c => c.RecordedAtUnixMs), Count = g.LongCount() })
            .Take(MaxRowsPerEpoch)
            .ToListAsync(cancellationToken);
        var byKey = seen.ToDictionary(s => Hex(s.Key), StringComparer.Ordinal);

        // A node that holds a certificate ignores later co-signatures on that epoch, so the certificates'
        // signer bits are the other half of the evidence that a witness is signing.
        var certificates = await db.QuorumCertificates.AsNoTracking()
            .Where(q => q.DirectoryId == id && q.Epoch >= from)
            .OrderByDescending(q => q.Epoch)
            .Take((int)LivenessWindowEpochs * 2)
            .Select(q => new { q.Epoch, q.SignerBitmap, q.RecordedAtUnixMs })
            .ToListAsync(cancellationToken);

        // The head, the co-signatures and the certificates are read one after the other while gossip keeps
        // arriving, and a peer's co-signature can land before this node stores the head it signs: the newest
        // epoch is the newest of the three, so no witness ever shows as ahead of it.
        latest = MaxOf(latest, seen.Count == 0 ? null : seen.Max(s => s.Epoch), certificates.Count == 0 ? null : certificates[0].Epoch);

        var liveEpochs = configured is null ? 3 : (int)Math.Clamp(Math.Ceiling(configured.StallMultiple), 1, 100);
        var members = configured?.Quorum.Witnesses.Select(w => w.PublicKey.ToLowerInvariant()).ToList() ?? [];
        var witnesses = new List<WitnessLiveness>(members.Count + byKey.Count);
        // Newest certificate each signer index appears in: one pass, newest first.
        var newestCertified = new Dictionary<int, (long Epoch, long RecordedAtUnixMs)>();
        foreach (var q in certificates)
        {
            foreach (var signer in SignerIndices(q.SignerBitmap))
            {
                newestCertified.TryAdd(signer, (q.Epoch, q.RecordedAtUnixMs));
            }
        }

        for (var i = 0; i < members.Count; i++)
        {
            var row = byKey.GetValueOrDefault(members[i]);
            (long Epoch, long RecordedAtUnixMs)? certified = newestCertified.TryGetValue(i, out var c) ? c : null;
            var (epoch, at) = certified is { } cert && (row is null || cert.Epoch > row.Epoch)
                ? (cert.Epoch, cert.RecordedAtUnixMs)
                : (row?.Epoch, row?.At);
            witnesses.Add(Liveness(i, members[i], epoch, at, row?.Count ?? 0, latest, liveEpochs));
        }

        // Keys outside the configured set: possible on a node that follows without a configured quorum.
        foreach (var (key, s) in byKey.Where(p => !members.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            witnesses.Add(Liveness(null, key, s.Epoch, s.At, s.Count, latest, liveEpochs));
        }

        return new WitnessesView(id, configured?.Quorum.Threshold, latest, LivenessWindowEpochs, liveEpochs, witnesses);
    }

    private static long? MaxOf(long? a, long? b, long? c) =>
        a is null && b is null && c is null ? null : Math.Max(a ?? long.MinValue, Math.Max(b ?? long.MinValue, c ?? long.MinValue));

    private static WitnessLiveness Liveness(int? index, string key, long? lastEpoch, long? lastAtMs, long count, long? latest, int liveEpochs)
    {
        var behind = lastEpoch is { } e && latest is { } l ? Math.Max(0, l - e) : (long?)null;
        var status = behind is null ? "silent" : behind < liveEpochs ? "live" : "lagging";
        return new WitnessLiveness(index, key, status, lastEpoch, lastAtMs is { } ms ? FromMs(ms) : null, behind, count);
    }

    /// <summary>The first <paramref name="take"/> audit rows in sequence order, projected so the proof bytes stay in the database.</summary>
    private static IQueryable<AuditRow> AuditRows(IQueryable<AuditResultRecord> rows, int take) =>
        rows.AsNoTracking()
            .OrderBy(a => a.Sequence)
            .Take(take)
            .Select(a => new AuditRow(a.Sequence, a.FromEpoch, a.ToEpoch, a.FromRoot, a.ToRoot, a.Verdict, a.Failure, a.Proof.Length, a.RecordedAtUnixMs));

    private static AuditView View(AuditRow a) => new(
        a.Sequence, a.FromEpoch, a.ToEpoch, Hex(a.FromRoot), Hex(a.ToRoot), a.Verdict, a.Failure, a.ProofLength, FromMs(a.RecordedAtUnixMs), $"/api/v1/audits/{a.Sequence}/proof");

    /// <summary>Bits set in a certificate's signer bitmap: bit (i mod 8) of byte (i / 8) is witness i.</summary>
    private static IEnumerable<int> SignerIndices(byte[] bitmap) =>
        Enumerable.Range(0, bitmap.Length * 8).Where(i => (bitmap[i / 8] >> (i % 8) & 1) != 0);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed record AuditRow(long Sequence, long FromEpoch, long ToEpoch, byte[] FromRoot, byte[] ToRoot, string Verdict, string? Failure, int ProofLength, long RecordedAtUnixMs);
}
