// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>
/// A row of an append-only, hash-chained history table. Rows are never updated or deleted: the
/// database rejects both, and each row's <see cref="RecordHash"/> covers its content, its
/// <see cref="Sequence"/> and the previous row's hash, so any change, removal or reordering breaks the chain.
/// </summary>
public abstract class HistoryRecord
{
    /// <summary>Position in this table's chain: 1, 2, 3, … with no gaps. Assigned by the store.</summary>
    public long Sequence { get; set; }

    /// <summary>When the store appended the row, in Unix milliseconds. Assigned by the store.</summary>
    public long RecordedAtUnixMs { get; set; }

    /// <summary>The previous row's <see cref="RecordHash"/>; 32 zero bytes for the first row.</summary>
    public byte[] PreviousHash { get; set; } = [];

    /// <summary>SHA-256 over the chain header and the content (see <see cref="RecordHasher"/>).</summary>
    public byte[] RecordHash { get; set; } = [];

    /// <summary>Feeds every content field, in a fixed order, to the hasher.</summary>
    protected internal abstract void AddContent(RecordHasher hasher);

    /// <summary>Computes the hash this row must carry, given its chain header.</summary>
    public byte[] ComputeHash(string table)
    {
        using var hasher = new RecordHasher(table, Sequence, RecordedAtUnixMs, PreviousHash);
        AddContent(hasher);
        return hasher.Finish();
    }
}
