// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.Metrics;
using Chhaya.LogStore;
using Chhaya.LogStore.Records;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness.Evidence;

/// <summary>Stores evidence with its alert, counts it, and logs it at warning: one path for every kind.</summary>
internal static partial class EvidenceLedger
{
    private static readonly Meter Meter = new("Chhaya.Witness.Evidence", "1.0");
    private static readonly Counter<long> Raised = Meter.CreateCounter<long>("chhaya.witness.evidence", "{bundle}", "Evidence bundles raised, by kind.");

    public static async Task<long> RaiseAsync(HistoryStore store, ILogger logger, string directory, ulong epoch, EvidenceBundle evidence, string summary, string consequence, bool critical, CancellationToken cancellationToken)
    {
        var kind = EvidenceKinds.Name(evidence.Kind);
        var stored = await store.AppendAsync(new EquivocationEvidenceRecord
        {
            DirectoryId = directory,
            Epoch = (long)epoch,
            Kind = kind,
            Summary = summary,
            Evidence = evidence.Encode(),
        }, cancellationToken).ConfigureAwait(false);
        await store.AppendAsync(new AlertRecord
        {
            Kind = kind,
            Severity = critical ? "critical" : "warning",
            DirectoryId = directory,
            Message = $"{summary}. {consequence} Evidence bundle #{stored.Sequence} proves it offline (chhaya evidence verify).",
            EvidenceSequence = stored.Sequence,
        }, cancellationToken).ConfigureAwait(false);
        Raised.Add(1, new KeyValuePair<string, object?>("chhaya.kind", kind));
        LogEvidence(logger, kind, directory, epoch, summary);
        return stored.Sequence;
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Evidence ({Kind}) about directory {Directory} at epoch {Epoch}: {Summary}")]
    private static partial void LogEvidence(ILogger logger, string kind, string directory, ulong epoch, string summary);
}
