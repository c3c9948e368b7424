// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.LogStore.Records;
using Chhaya.LogStore.Storage;
using Chhaya.Node.Api;
using Chhaya.Node.Witnessing;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Node.Dashboard;

/// <summary>
/// Read-only queries behind the dashboard. Every query is bounded so a long history never makes the page
/// slow or large: the newest alerts, the newest heads per directory, the latest certificate.
/// </summary>
internal sealed class DashboardReader(LogStoreContextFactory contexts, WitnessOptions witness, TimeProvider time)
{
    /// <summary>Epoch heads per directory drawn on the chart.</summary>
    public const int ChartPoints = 60;

    /// <summary>Alerts of each group (critical, other), and pieces of evidence, listed.</summary>
    public const int AlertLimit = 20;

    /// <summary>Directories listed; more are reachable through the API.</summary>
    public const int DirectoryLimit = 50;

    /// <summary>Co-signature rows read per epoch (a witness set is far smaller).</summary>
    public const int MaxCoSigners = 256;

    public async Task<DashboardModel> ReadAsync(IReadOnlyList<PeerLine>? peers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        using var db = contexts.Create();
        var critical = await AlertsAsync(db, critical: true, cancellationToken);
        var other = await AlertsAsync(db, critical: false, cancellationToken);

        var registered = await db.Directories.AsNoTracking().OrderBy(d => d.Sequence).ToListAsync(cancellationToken);
        var seen = await db.EpochHeads.AsNoTracking().Select(h => h.DirectoryId).Distinct().Take(DirectoryLimit).ToListAsync(cancellationToken);
        var ids = registered.Select(d => d.DirectoryId).Concat(seen).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(DirectoryLimit).ToList();

        var panels = new List<DirectoryPanel>(ids.Count);
        foreach (var id in ids)
        {
            // Later registrations of an id supersede earlier ones.
            var registration = registered.LastOrDefault(d => d.DirectoryId == id);
            panels.Add(await PanelAsync(db, id, registration, now, cancellationToken));
        }

        var evidence = await db.EquivocationEvidence.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Take(AlertLimit)
            .Select(e => new { e.Sequence, e.DirectoryId, e.Epoch, e.Kind, e.Summary, e.RecordedAtUnixMs })
            .ToListAsync(cancellationToken);
        return new DashboardModel(now, critical, other, panels, [.. evidence.Select(e => new EvidenceLine(
            e.Sequence, e.DirectoryId, e.Epoch, e.Kind, e.Summary, DateTimeOffset.FromUnixTimeMilliseconds(e.RecordedAtUnixMs)))], peers);
    }

    private static async Task<List<AlertLine>> AlertsAsync(LogStoreContext db, bool critical, CancellationToken cancellationToken)
    {
        var alerts = db.Alerts.AsNoTracking();
        alerts = critical ? alerts.Where(a => a.Severity == "critical") : alerts.Where(a => a.Severity != "critical");
        var rows = await alerts
            .OrderByDescending(a => a.Sequence)
            .Take(AlertLimit)
            .ToListAsync(cancellationToken);
        var evidence = rows.Where(a => a.EvidenceSequence is not null).Select(a => a.EvidenceSequence!.Value).Distinct().ToList();
        var epochs = evidence.Count == 0
            ? []
            : await db.EquivocationEvidence.AsNoTracking().Where(e => evidence.Contains(e.Sequence)).ToDictionaryAsync(e => e.Sequence, e => e.Epoch, cancellationToken);
        return [.. rows.Select(a => new AlertLine(
            a.Sequence, a.Kind, a.Severity, a.DirectoryId,
            a.EvidenceSequence is { } s && epochs.TryGetValue(s, out var epoch) ? epoch : null,
            a.Message, a.EvidenceSequence, DateTimeOffset.FromUnixTimeMilliseconds(a.RecordedAtUnixMs)))];
    }

    private async Task<DirectoryPanel> PanelAsync(LogStoreContext db, string id, DirectoryRecord? registration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var heads = await db.EpochHeads.AsNoTracking()
            .Where(h => h.DirectoryId == id)
            .OrderByDescending(h => h.Sequence)
            .Take(ChartPoints)
            .Select(h => new { h.Epoch, h.HeadTimestampUnixMs, h.RecordedAtUnixMs })
            .ToListAsync(cancellationToken);
        var latest = await db.EpochHeads.AsNoTracking()
            .Where(h => h.DirectoryId == id)
            .OrderByDescending(h => h.Epoch).ThenByDescending(h => h.Sequence)
            .Select(h => new { h.Epoch, h.HeadTimestampUnixMs, h.RecordedAtUnixMs })
            .FirstOrDefaultAsync(cancellationToken);
        var certificate = await db.QuorumCertificates.AsNoTracking()
            .Where(q => q.DirectoryId == id)
            .OrderByDescending(q => q.Epoch).ThenByDescending(q => q.Sequence)
            .Select(q => new { q.Epoch, q.SignerBitmap })
            .FirstOrDefaultAsync(cancellationToken);

        var coSigners = latest is null ? [] : await CoSignersAsync(db, id, latest.Epoch, cancellationToken);
        var certifiedCoSigners = certificate is null ? []
            : certificate.Epoch == latest?.Epoch ? coSigners
            : await CoSignersAsync(db, id, certificate.Epoch, cancellationToken);

        var minEpoch = heads.Count == 0 ? 0 : heads.Min(h => h.Epoch);
        var certified = (await db.QuorumCertificates.AsNoTracking()
            .Where(q => q.DirectoryId == id && q.Epoch >= minEpoch)
            .Select(q => q.Epoch)
            .Distinct()
            .ToListAsync(cancellationToken)).ToHashSet();
        var equivocations = await db.EquivocationEvidence.LongCountAsync(e => e.DirectoryId == id, cancellationToken);

        var configured = witness.Find(id);
        var latestReceived = latest is null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(heads.Count == 0 ? latest.RecordedAtUnixMs : Math.Max(latest.RecordedAtUnixMs, heads.Max(h => h.RecordedAtUnixMs)));
        var status = equivocations > 0 ? DirectoryStatus.Equivocation
            : latestReceived is null ? DirectoryStatus.Waiting
            : configured is not null && IsStalled(configured, latestReceived.Value, now) ? DirectoryStatus.Stalled
            : DirectoryStatus.Ok;

        return new DirectoryPanel(
            id,
            registration?.DisplayName ?? configured?.Name,
            registration?.Configuration ?? configured?.Configuration,
            latest?.Epoch,
            latest is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(latest.HeadTimestampUnixMs),
            latestReceived,
            certificate?.Epoch,
            certificate is null ? null : certificate.SignerBitmap.Sum(b => BitOperations.PopCount(b)),
            configured?.Quorum.Threshold,
            configured?.Quorum.Witnesses.Count,
            coSigners,
            certifiedCoSigners,
            equivocations,
            status,
            [.. heads.AsEnumerable().Reverse().Select(h => new ChartPoint(h.Epoch, DateTimeOffset.FromUnixTimeMilliseconds(h.HeadTimestampUnixMs), certified.Contains(h.Epoch)))]);
    }

    /// <summary>The distinct witness keys that co-signed one epoch of a directory, hex, in arrival order.</summary>
    private static async Task<IReadOnlyList<string>> CoSignersAsync(LogStoreContext db, string id, long epoch, CancellationToken cancellationToken)
    {
        var keys = await db.CoSignatures.AsNoTracking()
            .Where(c => c.DirectoryId == id && c.Epoch == epoch)
            .OrderBy(c => c.Sequence)
            .Take(MaxCoSigners)
            .Select(c => c.WitnessPublicKey)
            .ToListAsync(cancellationToken);
        return [.. keys.Distinct(ByteArrayComparer.Instance).Select(Convert.ToHexStringLower)];
    }

    /// <summary>Mirrors the follower's stall rule: no new head for the interval times the stall multiple.</summary>
    private static bool IsStalled(FollowedDirectoryOptions directory, DateTimeOffset latestReceived, DateTimeOffset now)
    {
        var seconds = directory.EpochIntervalSeconds * directory.StallMultiple;
        return seconds > 0 && double.IsFinite(seconds) && (now - latestReceived).TotalSeconds > seconds;
    }
}
