// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>Self-contained, offline-verifiable evidence that a directory or witness misbehaved.</summary>
public sealed class EquivocationEvidenceRecord : HistoryRecord
{
    /// <summary>Hex directory id.</summary>
    public string DirectoryId { get; set; } = "";

    /// <summary>Epoch the evidence is about.</summary>
    public long Epoch { get; set; }

    /// <summary>Kind of misbehaviour, e.g. <c>conflicting-heads</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>One-line human description.</summary>
    public string Summary { get; set; } = "";

    /// <summary>The canonical evidence bundle.</summary>
    public byte[] Evidence { get; set; } = [];

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(DirectoryId);
        hasher.Add(Epoch);
        hasher.Add(Kind);
        hasher.Add(Summary);
        hasher.Add(Evidence);
    }
}
