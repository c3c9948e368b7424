// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Records;
using Chhaya.LogStore.Storage;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Node.Api;

/// <summary>Read-only queries over the history for the API and dashboard. Never writes.</summary>
public sealed class HistoryReader(LogStoreContextFactory contexts)
{
    public async Task<HistoryCounts> CountsAsync(CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        return new HistoryCounts(
            await db.Directories.Select(d => d.DirectoryId).Distinct().LongCountAsync(cancellationToken),
            await db.EpochHeads.LongCountAsync(cancellationToken),
            await db.CoSignatures.LongCountAsync(cancellationToken),
            await db.QuorumCertificates.LongCountAsync(cancellationToken),
            await db.EquivocationEvidence.LongCountAsync(cancellationToken),
            await db.Alerts.LongCountAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<DirectorySummary>> DirectoriesAsync(CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        var registered = await db.Directories.AsNoTracking().OrderBy(d => d.Sequence).ToListAsync(cancellationToken);
        var seen = await db.EpochHeads.AsNoTracking().Select(h => h.DirectoryId).Distinct().ToListAsync(cancellationToken);
        var ids = registered.Select(d => d.DirectoryId).Concat(seen).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var result = new List<DirectorySummary>(ids.Count);
        foreach (var id in ids)
        {
            // Later registrations of an id supersede earlier ones.
            var registration = registered.LastOrDefault(d => d.DirectoryId == id);
            result.Add(await SummarizeAsync(db, id, registration?.DisplayName, registration?.Configuration, cancellationToken));
        }

        return result;
    }

    public async Task<DirectorySummary?> DirectoryAsync(string id, CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        var registration = await db.Directories.AsNoTracking().Where(d => d.DirectoryId == id).OrderByDescending(d => d.Sequence).FirstOrDefaultAsync(cancellationToken);
        var anyHead = await db.EpochHeads.AnyAsync(h => h.DirectoryId == id, cancellationToken);
        if (registration is null && !anyHead)
        {
            return null;
        }

        return await SummarizeAsync(db, id, registration?.DisplayName, registration?.Configuration, cancellationToken);
    }

    /// <summary>Epoch heads of one directory in ascending sequence, starting after <paramref name="after"/>.</summary>
    public Task<Page<EpochView>> EpochsAsync(string id, long after, int limit, CancellationToken cancellationToken) =>
        PageAsync(db => db.EpochHeads.Where(h => h.DirectoryId == id), after, limit, h => new EpochView(
            h.Sequence, h.Epoch, Hex(h.Root), Hex(h.PreviousRoot), FromMs(h.HeadTimestampUnixMs), FromMs(h.RecordedAtUnixMs), h.Source, Hex(h.SignedHead)), cancellationToken);

    public Task<Page<CoSignatureView>> CoSignaturesAsync(string id, long after, int limit, CancellationToken cancellationToken) =>
        PageAsync(db => db.CoSignatures.Where(c => c.DirectoryId == id), after, limit, c => new CoSignatureView(
            c.Sequence, c.Epoch, Hex(c.Root), Hex(c.WitnessPublicKey), Hex(c.Signature), FromMs(c.RecordedAtUnixMs)), cancellationToken);

    public Task<Page<CertificateView>> CertificatesAsync(string id, long after, int limit, CancellationToken cancellationToken) =>
        PageAsync(db => db.QuorumCertificates.Where(q => q.DirectoryId == id), after, limit, q => new CertificateView(
            q.Sequence, q.Epoch, Hex(q.Root), Hex(q.SignerBitmap), Hex(q.AggregateSignature), Hex(q.Certificate), FromMs(q.RecordedAtUnixMs)), cancellationToken);

    public Task<Page<EquivocationView>> EquivocationsAsync(long after, int limit, CancellationToken cancellationToken) =>
        PageAsync(db => db.EquivocationEvidence, after, limit, e => new EquivocationView(
            e.Sequence, e.DirectoryId, e.Epoch, e.Kind, e.Summary, FromMs(e.RecordedAtUnixMs), Convert.ToBase64String(e.Evidence)), cancellationToken);

    public async Task<byte[]?> EvidenceBundleAsync(long sequence, CancellationToken cancellationToken)
    {
        using var db = contexts.Create();
        return await db.EquivocationEvidence.AsNoTracking().Where(e => e.Sequence == sequence).Select(e => e.Evidence).FirstOrDefaultAsync(cancellationToken);
    }

    public Task<Page<AlertView>> AlertsAsync(long after, int limit, CancellationToken cancellationToken) =>
        PageAsync(db => db.Alerts, after, limit, a => new AlertView(a.Sequence, a.Kind, a.Severity, a.DirectoryId, a.Message, FromMs(a.RecordedAtUnixMs)), cancellationToken);

    /// <summary>One page of a history table in sequence order, after the cursor <paramref name="after"/>.</summary>
    private async Task<Page<TView>> PageAsync<TRecord, TView>(Func<LogStoreContext, IQueryable<TRecord>> table, long after, int limit, Func<TRecord, TView> view, CancellationToken cancellationToken)
        where TRecord : HistoryRecord
    {
        using var db = contexts.Create();
        var rows = await table(db).AsNoTracking()
            .Where(r => r.Sequence > after)
            .OrderBy(r => r.Sequence)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(view).ToList();
        return new Page<TView>(items, rows.Count > limit ? rows[limit - 1].Sequence : null);
    }

    private static async Task<DirectorySummary> SummarizeAsync(LogStoreContext db, string id, string? name, string? configuration, CancellationToken cancellationToken)
    {
        var latest = await db.EpochHeads.AsNoTracking()
            .Where(h => h.DirectoryId == id)
            .OrderByDescending(h => h.Epoch).ThenByDescending(h => h.Sequence)
            .FirstOrDefaultAsync(cancellationToken);
        return new DirectorySummary(
            id,
            name,
            configuration,
            latest?.Epoch,
            latest is null ? null : Hex(latest.Root),
            latest is null ? null : FromMs(latest.HeadTimestampUnixMs),
            await db.EpochHeads.LongCountAsync(h => h.DirectoryId == id, cancellationToken),
            await db.QuorumCertificates.LongCountAsync(q => q.DirectoryId == id, cancellationToken),
            await db.EquivocationEvidence.LongCountAsync(e => e.DirectoryId == id, cancellationToken));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
