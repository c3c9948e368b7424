// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>An alert raised to the operator.</summary>
public sealed class AlertRecord : HistoryRecord
{
    /// <summary>Alert kind.</summary>
    public string Kind { get; set; } = "";

    /// <summary><c>info</c>, <c>warning</c> or <c>critical</c>.</summary>
    public string Severity { get; set; } = "";

    /// <summary>Directory concerned, if any.</summary>
    public string? DirectoryId { get; set; }

    /// <summary>What happened and what to do.</summary>
    public string Message { get; set; } = "";

    /// <summary>Sequence of the related evidence row, if any.</summary>
    public long? EvidenceSequence { get; set; }

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(Kind);
        hasher.Add(Severity);
        hasher.Add(DirectoryId);
        hasher.Add(Message);
        hasher.Add(EvidenceSequence);
    }
}
