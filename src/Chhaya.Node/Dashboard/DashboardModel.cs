// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Dashboard;

/// <summary>Everything the dashboard shows, read once per request from the history and the configuration.</summary>
internal sealed record DashboardModel(
    DateTimeOffset Now,
    IReadOnlyList<AlertLine> CriticalAlerts,
    IReadOnlyList<AlertLine> OtherAlerts,
    IReadOnlyList<DirectoryPanel> Directories,
    IReadOnlyList<EvidenceLine> Evidence,
    IReadOnlyList<PeerLine>? Peers);

/// <summary>A stored piece of evidence; its bundle is served at <c>/api/v1/equivocations/{Sequence}/bundle</c>.</summary>
internal sealed record EvidenceLine(long Sequence, string DirectoryId, long Epoch, string Kind, string Summary, DateTimeOffset DetectedAt);

/// <summary>An alert; <see cref="Epoch"/> comes from the evidence row the alert points to, when it points to one.</summary>
internal sealed record AlertLine(long Sequence, string Kind, string Severity, string? DirectoryId, long? Epoch, string Message, long? EvidenceSequence, DateTimeOffset RaisedAt);

/// <summary>The state of one directory: what it is, how far it has gone and whether witnesses vouch for it.</summary>
internal sealed record DirectoryPanel(
    string Id,
    string? Name,
    string? Configuration,
    long? LatestEpoch,
    DateTimeOffset? LatestHeadTime,
    DateTimeOffset? LatestReceivedAt,
    long? CertifiedEpoch,
    int? CertifiedSigners,
    int? Threshold,
    int? QuorumSize,
    IReadOnlyList<string> LatestCoSigners,
    IReadOnlyList<string> CertifiedCoSigners,
    long Equivocations,
    DirectoryStatus Status,
    IReadOnlyList<ChartPoint> Chart);

/// <summary>One epoch head on the chart.</summary>
internal sealed record ChartPoint(long Epoch, DateTimeOffset HeadTime, bool Certified);

/// <summary>A connected libp2p peer, as shown to the operator (no message content, no contacts).</summary>
internal sealed record PeerLine(string PeerId, string Address, string Direction, DateTimeOffset ConnectedAt);

internal enum DirectoryStatus
{
    /// <summary>No epoch head received yet.</summary>
    Waiting,

    /// <summary>Epochs arrive on time and nothing contradicts them.</summary>
    Ok,

    /// <summary>No new epoch for longer than the configured interval times its stall multiple.</summary>
    Stalled,

    /// <summary>Evidence of equivocation or misbehaviour is on record: the directory cannot be trusted.</summary>
    Equivocation,
}
