// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>A directory-signed epoch head as received, before or after auditing.</summary>
public sealed class EpochHeadRecord : HistoryRecord
{
    /// <summary>Hex directory id.</summary>
    public string DirectoryId { get; set; } = "";

    /// <summary>Epoch number.</summary>
    public long Epoch { get; set; }

    /// <summary>Tree root published for the epoch.</summary>
    public byte[] Root { get; set; } = [];

    /// <summary>Root of the previous epoch.</summary>
    public byte[] PreviousRoot { get; set; } = [];

    /// <summary>Timestamp the directory signed into the head.</summary>
    public long HeadTimestampUnixMs { get; set; }

    /// <summary>Canonical head bytes followed by the directory's signature, exactly as received.</summary>
    public byte[] SignedHead { get; set; } = [];

    /// <summary>Where the head came from (peer id or <c>local</c>).</summary>
    public string Source { get; set; } = "";

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(DirectoryId);
        hasher.Add(Epoch);
        hasher.Add(Root);
        hasher.Add(PreviousRoot);
        hasher.Add(HeadTimestampUnixMs);
        hasher.Add(SignedHead);
        hasher.Add(Source);
    }
}
