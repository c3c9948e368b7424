// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.LogStore;

/// <summary>The result of checking one history table's hash chain.</summary>
/// <param name="Table">Table name.</param>
/// <param name="RowsChecked">Rows read before the first break, or all rows when intact.</param>
/// <param name="FirstBrokenSequence">The first row whose hash or link is wrong, or null when the chain is intact.</param>
/// <param name="Problem">What is wrong with that row.</param>
public sealed record ChainReport(string Table, long RowsChecked, long? FirstBrokenSequence, string? Problem)
{
    /// <summary>True when every row's hash and link checked out.</summary>
    public bool Intact => FirstBrokenSequence is null;
}
