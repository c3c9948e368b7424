// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;
using Chhaya.LogStore.Records;
using Chhaya.LogStore.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Chhaya.LogStore;

/// <summary>
/// The append-only, hash-chained history. Appends assign each row the next sequence number of its table
/// and chain it to the previous row; nothing here can update or delete a row.
/// </summary>
public sealed partial class HistoryStore
{
    private const int MaxAppendAttempts = 8;

    private readonly LogStoreContextFactory _contexts;
    private readonly ILogger<HistoryStore> _logger;
    private readonly TimeProvider _time;

    // One writer per table inside this process; races with other processes are caught by the primary key.
    private readonly Dictionary<Type, SemaphoreSlim> _tableLocks = HistoryTables.All.ToDictionary(t => t.RecordType, _ => new SemaphoreSlim(1, 1));

    // The PostgreSQL advisory-lock key of each table, derived once.
    private static readonly Dictionary<string, long> AdvisoryLockKeys = HistoryTables.All.ToDictionary(t => t.Table, t => AdvisoryLockKey(t.Table), StringComparer.Ordinal);

    public HistoryStore(LogStoreContextFactory contexts, ILogger<HistoryStore> logger, TimeProvider? time = null)
    {
        _contexts = contexts ?? throw new ArgumentNullException(nameof(contexts));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The context factory, for read-only queries.</summary>
    public LogStoreContextFactory Contexts => _contexts;

    /// <summary>Applies pending migrations (creating the database file or schema on first start).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        using var context = _contexts.Create();
        await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var where = _contexts.Describe();
        LogMigrated(_logger, where);
    }

    /// <summary>Whether the database answers a trivial query.</summary>
    public async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        using var context = _contexts.Create();
        return await context.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends <paramref name="record"/> to its table: assigns <see cref="HistoryRecord.Sequence"/>,
    /// <see cref="HistoryRecord.RecordedAtUnixMs"/>, <see cref="HistoryRecord.PreviousHash"/> and
    /// <see cref="HistoryRecord.RecordHash"/>, and returns it once it is durably stored.
    /// </summary>
    /// <exception cref="InvalidOperationException">The record was already appended, or concurrent writers kept winning the race.</exception>
    public async Task<T> AppendAsync<T>(T record, CancellationToken cancellationToken)
        where T : HistoryRecord
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Sequence != 0)
        {
            throw new InvalidOperationException($"This {typeof(T).Name} was already appended as row {record.Sequence}; history rows are never written twice.");
        }

        var table = HistoryTables.TableOf(typeof(T));
        var gate = _tableLocks[typeof(T)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                using var context = _contexts.Create();
                using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await HoldTableWriteLockAsync(context, table, cancellationToken).ConfigureAwait(false);
                var last = await context.Set<T>().AsNoTracking()
                    .OrderByDescending(r => r.Sequence)
                    .Select(r => new { r.Sequence, r.RecordHash })
                    .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

                record.Sequence = (last?.Sequence ?? 0) + 1;
                record.PreviousHash = last?.RecordHash ?? new byte[RecordHasher.HashLength];
                record.RecordedAtUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                record.RecordHash = record.ComputeHash(table);
                context.Add(record);
                try
                {
                    await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    LogStoreMetrics.Appends.Add(1, new KeyValuePair<string, object?>("chhaya.table", table));
                    return record;
                }
                catch (DbUpdateException e) when (attempt < MaxAppendAttempts && IsSequenceTaken(e))
                {
                    // Another process appended the same sequence number first: chain onto its row instead.
                    LogAppendRetry(_logger, table, record.Sequence, e.InnerException?.Message ?? e.Message);
                    LogStoreMetrics.AppendConflicts.Add(1, new KeyValuePair<string, object?>("chhaya.table", table));
                    record.Sequence = 0;
                }
                catch
                {
                    record.Sequence = 0;
                    throw;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Walks every history table in sequence order and checks each row's hash and link. Reads in pages,
    /// so memory stays bounded however long the history is.
    /// </summary>
    public async Task<IReadOnlyList<ChainReport>> VerifyAsync(IProgress<ChainReport>? progress, CancellationToken cancellationToken)
    {
        var reports = new List<ChainReport>();
        foreach (var (type, table) in HistoryTables.All)
        {
            var report = await ChainVerifier.VerifyTableAsync(_contexts, type, table, cancellationToken).ConfigureAwait(false);
            progress?.Report(report);
            reports.Add(report);
        }

        return reports;
    }

    /// <summary>
    /// Serialises appends to one table across processes for the rest of the transaction, so the "read the last
    /// row, insert the next" step cannot interleave. PostgreSQL takes a transaction-scoped advisory lock named
    /// after the table; SQLite's transactions already begin IMMEDIATE (one writer per file). The primary key
    /// still settles any race with a writer that does not take the lock.
    /// </summary>
    private static async Task HoldTableWriteLockAsync(LogStoreContext context, string table, CancellationToken cancellationToken)
    {
        if (context is not PostgresLogStoreContext)
        {
            return;
        }

        var key = AdvisoryLockKeys[table];
        await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stable 64-bit advisory-lock key per history table (the first 8 bytes of SHA-256 over a fixed prefix and the name).</summary>
    internal static long AdvisoryLockKey(string table)
    {
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("chhaya.history.append/" + table), digest);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(digest);
    }

    /// <summary>Whether the insert lost a race for the sequence number (a primary-key violation), not some other failure.</summary>
    private static bool IsSequenceTaken(DbUpdateException e) => e.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */,
        _ => false,
    };

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "History store ready: {Where}")]
    private static partial void LogMigrated(ILogger logger, string where);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Sequence {Sequence} of {Table} was taken by another writer; retrying ({Reason})")]
    private static partial void LogAppendRetry(ILogger logger, string table, long sequence, string reason);
}
