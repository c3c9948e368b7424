// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.Metrics;
using Chhaya.LogStore.Records;
using Chhaya.LogStore.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.LogStore.Tests;

/// <summary>
/// One suite, run on every provider: appends chain correctly, the database refuses changes, and the
/// verifier finds tampering that bypasses the database.
/// </summary>
public abstract class HistoryStoreConformance : IAsyncLifetime
{
    protected HistoryStore Store { get; private set; } = null!;

    protected StorageOptions Options { get; private set; } = null!;

    protected abstract Task<StorageOptions> CreateOptionsAsync();

    /// <summary>SQL that switches off the append-only triggers of one table, as a database owner could.</summary>
    protected abstract string DisableTriggersSql(string table);

    public async Task InitializeAsync()
    {
        Options = await CreateOptionsAsync();
        Store = NewStore(Options);
        await Store.MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected static HistoryStore NewStore(StorageOptions options) =>
        new(new LogStoreContextFactory(options), NullLogger<HistoryStore>.Instance);

    internal static EpochHeadRecord Head(string directory, long epoch) => new()
    {
        DirectoryId = directory,
        Epoch = epoch,
        Root = Enumerable.Repeat((byte)epoch, 32).ToArray(),
        PreviousRoot = Enumerable.Repeat((byte)(epoch - 1), 32).ToArray(),
        HeadTimestampUnixMs = 1_700_000_000_000 + epoch,
        SignedHead = [1, 2, 3, (byte)epoch],
        Source = "local",
    };

    [Fact]
    public async Task Appends_get_contiguous_sequences_and_linked_hashes()
    {
        var first = await Store.AppendAsync(Head("aa", 1), CancellationToken.None);
        var second = await Store.AppendAsync(Head("aa", 2), CancellationToken.None);

        Assert.Equal(1, first.Sequence);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(new byte[32], first.PreviousHash);
        Assert.Equal(first.RecordHash, second.PreviousHash);
        Assert.NotEqual(first.RecordHash, second.RecordHash);

        using var context = Store.Contexts.Create();
        var stored = await context.EpochHeads.AsNoTracking().OrderBy(h => h.Sequence).ToListAsync();
        Assert.Equal([1L, 2L], stored.Select(h => h.Sequence));
        Assert.Equal(second.RecordHash, stored[1].RecordHash);
        Assert.All(await Store.VerifyAsync(null, CancellationToken.None), r => Assert.True(r.Intact, r.Problem));
    }

    [Fact]
    public async Task The_first_certificate_stored_for_an_epoch_is_found()
    {
        static QuorumCertificateRecord Certificate(string directory, long epoch, byte tag) => new()
        {
            DirectoryId = directory,
            Epoch = epoch,
            Root = new byte[32],
            SignerBitmap = [tag],
            AggregateSignature = new byte[96],
            Certificate = [tag, (byte)epoch],
        };

        await Store.AppendAsync(Certificate("aa", 5, 1), CancellationToken.None);
        await Store.AppendAsync(Certificate("bb", 5, 2), CancellationToken.None);
        await Store.AppendAsync(Certificate("aa", 5, 3), CancellationToken.None);
        await Store.AppendAsync(Certificate("aa", 6, 4), CancellationToken.None);

        using var context = Store.Contexts.Create();
        Assert.Equal(new byte[] { 1, 5 }, await context.FirstCertificateAsync("aa", 5, CancellationToken.None));
        Assert.Equal(new byte[] { 2, 5 }, await context.FirstCertificateAsync("bb", 5, CancellationToken.None));
        Assert.Equal(new byte[] { 4, 6 }, await context.FirstCertificateAsync("aa", 6, CancellationToken.None));
        Assert.Null(await context.FirstCertificateAsync("aa", 7, CancellationToken.None));
        Assert.Null(await context.FirstCertificateAsync("aa", ulong.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task A_record_cannot_be_appended_twice()
    {
        var head = await Store.AppendAsync(Head("aa", 1), CancellationToken.None);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AppendAsync(head, CancellationToken.None));
        Assert.Contains("never written twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_writers_in_separate_stores_keep_one_unbroken_chain()
    {
        // Separate stores on one database behave like separate processes: their appends must serialise in the
        // database (advisory lock on PostgreSQL, IMMEDIATE transactions on SQLite), not by retrying.
        long conflicts = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Chhaya.LogStore" && instrument.Name == "chhaya.logstore.append_conflicts")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "chhaya.table", Value: "alerts" })
                {
                    Interlocked.Add(ref conflicts, value);
                }
            }
        });
        listener.Start();

        HistoryStore[] stores = [Store, NewStore(Options), NewStore(Options)];
        var writes = Enumerable.Range(0, 60)
            .Select(i => Task.Run(() => stores[i % stores.Length].AppendAsync(new AlertRecord { Kind = "test", Severity = "info", Message = $"alert {i}" }, CancellationToken.None)));
        await Task.WhenAll(writes);

        var reports = await Store.VerifyAsync(null, CancellationToken.None);
        var alerts = Assert.Single(reports, r => r.Table == "alerts");
        Assert.True(alerts.Intact, alerts.Problem);
        Assert.Equal(60, alerts.RowsChecked);
        Assert.Equal(0, Interlocked.Read(ref conflicts));
    }

    [Theory]
    [InlineData("UPDATE epoch_heads SET epoch = 99")]
    [InlineData("DELETE FROM epoch_heads")]
    public async Task The_database_refuses_to_change_history(string sql)
    {
        await Store.AppendAsync(Head("aa", 1), CancellationToken.None);
        using var context = Store.Contexts.Create();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => context.Database.ExecuteSqlRawAsync(sql));
        Assert.Contains(AppendOnlyTriggers.RefusalMessage, e.Message, StringComparison.Ordinal);

        var head = await context.EpochHeads.AsNoTracking().SingleAsync();
        Assert.Equal(1, head.Epoch);
    }

    [Fact]
    public async Task The_verifier_names_the_first_row_changed_behind_the_database_back()
    {
        for (var epoch = 1; epoch <= 5; epoch++)
        {
            await Store.AppendAsync(Head("aa", epoch), CancellationToken.None);
        }

        using (var context = Store.Contexts.Create())
        {
            await context.Database.ExecuteSqlRawAsync(DisableTriggersSql("epoch_heads"));
            await context.Database.ExecuteSqlRawAsync("UPDATE epoch_heads SET source = 'forged' WHERE sequence = 3");
        }

        var report = Assert.Single(await Store.VerifyAsync(null, CancellationToken.None), r => r.Table == "epoch_heads");
        Assert.False(report.Intact);
        Assert.Equal(3, report.FirstBrokenSequence);
        Assert.Equal(2, report.RowsChecked);
        Assert.Contains("content", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verifier_notices_a_deleted_row()
    {
        for (var epoch = 1; epoch <= 4; epoch++)
        {
            await Store.AppendAsync(Head("aa", epoch), CancellationToken.None);
        }

        using (var context = Store.Contexts.Create())
        {
            await context.Database.ExecuteSqlRawAsync(DisableTriggersSql("epoch_heads"));
            await context.Database.ExecuteSqlRawAsync("DELETE FROM epoch_heads WHERE sequence = 2");
        }

        var report = Assert.Single(await Store.VerifyAsync(null, CancellationToken.None), r => r.Table == "epoch_heads");
        Assert.Equal(2, report.FirstBrokenSequence);
        Assert.Contains("missing", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_record_type_round_trips_and_chains()
    {
        await Store.AppendAsync(new DirectoryRecord { DirectoryId = "aa", DisplayName = "test", Configuration = "experimental", HeadPublicKey = [1], VrfPublicKey = [2] }, CancellationToken.None);
        await Store.AppendAsync(Head("aa", 1), CancellationToken.None);
        await Store.AppendAsync(new AuditResultRecord { DirectoryId = "aa", FromEpoch = 0, ToEpoch = 1, FromRoot = [0], ToRoot = [1], Verdict = "valid", Proof = [7] }, CancellationToken.None);
        await Store.AppendAsync(new CoSignatureRecord { DirectoryId = "aa", Epoch = 1, Root = [1], WitnessPublicKey = [3], Signature = [4], SignedHead = [5] }, CancellationToken.None);
        await Store.AppendAsync(new QuorumCertificateRecord { DirectoryId = "aa", Epoch = 1, Root = [1], SignerBitmap = [1], AggregateSignature = [4], Certificate = [9] }, CancellationToken.None);
        await Store.AppendAsync(new EquivocationEvidenceRecord { DirectoryId = "aa", Epoch = 1, Kind = "conflicting-heads", Summary = "two roots", Evidence = [8] }, CancellationToken.None);
        await Store.AppendAsync(new AlertRecord { Kind = "equivocation", Severity = "critical", DirectoryId = "aa", Message = "m", EvidenceSequence = 1 }, CancellationToken.None);
        await Store.AppendAsync(new RatchetStateRecord { SessionId = "s", Version = 1, EncryptedState = [6] }, CancellationToken.None);
        await Store.AppendAsync(new SignatureRecord { Purpose = "p", SignerPublicKey = [1], Message = [2], Signature = [3] }, CancellationToken.None);
        await Store.AppendAsync(new DeliveryReceiptRecord { MessageId = "m", PeerId = "p", Status = "delivered", Receipt = [1] }, CancellationToken.None);

        var reports = await Store.VerifyAsync(null, CancellationToken.None);
        Assert.Equal(HistoryTables.All.Count, reports.Count);
        Assert.All(reports, r => Assert.True(r.Intact && r.RowsChecked == 1, $"{r.Table}: {r.RowsChecked} rows, {r.Problem}"));
    }
}
