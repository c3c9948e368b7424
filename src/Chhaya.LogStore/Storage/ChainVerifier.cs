// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;
using Chhaya.LogStore.Records;
using Chhaya.Safety;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.LogStore.Storage;

/// <summary>Recomputes one table's hash chain, page by page, and names the first row that does not fit.</summary>
internal static class ChainVerifier
{
    private const int PageSize = 512;

    public static Task<ChainReport> VerifyTableAsync(LogStoreContextFactory contexts, Type recordType, string table, CancellationToken cancellationToken)
    {
        var method = typeof(ChainVerifier).GetMethod(nameof(VerifyAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(recordType);
        return (Task<ChainReport>)method.Invoke(null, [contexts, table, cancellationToken])!;
    }

    private static async Task<ChainReport> VerifyAsync<T>(LogStoreContextFactory contexts, string table, CancellationToken cancellationToken)
        where T : HistoryRecord
    {
        var expectedSequence = 1L;
        var previousHash = new byte[RecordHasher.HashLength];
        while (true)
        {
            List<T> page;
            using (var context = contexts.Create())
            {
                page = await context.Set<T>().AsNoTracking()
                    .Where(r => r.Sequence >= expectedSequence)
                    .OrderBy(r => r.Sequence)
                    .Take(PageSize)
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
            }

            if (page.Count == 0)
            {
                return new ChainReport(table, expectedSequence - 1, null, null);
            }

            foreach (var row in page)
            {
                var checkedRows = expectedSequence - 1;
                if (row.Sequence != expectedSequence)
                {
                    return new ChainReport(table, checkedRows, expectedSequence, $"row {expectedSequence} is missing (next row is {row.Sequence})");
                }

                if (!ConstantTime.Equals(row.PreviousHash, previousHash))
                {
                    return new ChainReport(table, checkedRows, row.Sequence, "the link to the previous row does not match its hash");
                }

                if (!ConstantTime.Equals(row.ComputeHash(table), row.RecordHash))
                {
                    return new ChainReport(table, checkedRows, row.Sequence, "the row's content does not match its hash");
                }

                previousHash = row.RecordHash;
                expectedSequence++;
            }
        }
    }
}
