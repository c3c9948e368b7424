// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>The outcome of checking an append-only (audit) proof between two epochs, with the proof bytes.</summary>
public sealed class AuditResultRecord : HistoryRecord
{
    /// <summary>Hex directory id.</summary>
    public string DirectoryId { get; set; } = "";

    /// <summary>Epoch the proof starts at.</summary>
    public long FromEpoch { get; set; }

    /// <summary>Epoch the proof ends at.</summary>
    public long ToEpoch { get; set; }

    /// <summary>Root at <see cref="FromEpoch"/>.</summary>
    public byte[] FromRoot { get; set; } = [];

    /// <summary>Root at <see cref="ToEpoch"/>.</summary>
    public byte[] ToRoot { get; set; } = [];

    /// <summary><c>valid</c> or <c>invalid</c>.</summary>
    public string Verdict { get; set; } = "";

    /// <summary>Which check failed, when invalid.</summary>
    public string? Failure { get; set; }

    /// <summary>The proof exactly as received.</summary>
    public byte[] Proof { get; set; } = [];

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(DirectoryId);
        hasher.Add(FromEpoch);
        hasher.Add(ToEpoch);
        hasher.Add(FromRoot);
        hasher.Add(ToRoot);
        hasher.Add(Verdict);
        hasher.Add(Failure);
        hasher.Add(Proof);
    }
}
