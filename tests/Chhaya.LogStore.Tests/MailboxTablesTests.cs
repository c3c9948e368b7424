// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Mailbox;
using Chhaya.LogStore.Storage;
using Chhaya.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.LogStore.Tests;

/// <summary>The mailbox tables on a real SQLite file.</summary>
public sealed class SqliteMailboxTablesTests : MailboxTablesTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override Task<StorageOptions> CreateOptionsAsync() =>
        Task.FromResult(new StorageOptions { SqlitePath = Path.Combine(_directory.Path, "chhaya.db") });
}

/// <summary>The mailbox tables on a real PostgreSQL server.</summary>
public sealed class PostgresMailboxTablesTests : MailboxTablesTests
{
    protected override async Task<StorageOptions> CreateOptionsAsync() =>
        new() { PostgresConnectionString = await PostgresTestServer.CreateDatabaseAsync("mailboxtables") };
}

/// <summary>
/// <c>mailbox_recipients</c> and <c>mailbox_envelopes</c> come with the checked-in migrations of both providers and,
/// unlike the history, are working state: rows are updated and deleted, and they are not part of any hash chain.
/// </summary>
public abstract class MailboxTablesTests
{
    protected abstract Task<StorageOptions> CreateOptionsAsync();

    [Fact]
    public async Task The_migrations_create_the_mailbox_tables_and_their_rows_can_be_changed_and_deleted()
    {
        var contexts = new LogStoreContextFactory(await CreateOptionsAsync());
        await new HistoryStore(contexts, NullLogger<HistoryStore>.Instance).MigrateAsync(CancellationToken.None);
        using (var context = contexts.Create())
        {
            Assert.Contains(context.Database.GetAppliedMigrations(), m => m.EndsWith("_MailboxState", StringComparison.Ordinal));
            context.MailboxRecipients.Add(new MailboxRecipientRow { MailboxId = "AA", RecipientTag = new string('B', 64), NextSequence = 2, LastCollectUnixMs = long.MinValue, LastSeenUnixMs = 5 });
            context.MailboxEnvelopes.Add(new MailboxEnvelopeRow { MailboxId = "AA", RecipientTag = new string('B', 64), Sequence = 1, StoredAtUnixMs = 5, Envelope = new byte[512] });
            await context.SaveChangesAsync();
        }

        using (var context = contexts.Create())
        {
            var recipient = await context.MailboxRecipients.SingleAsync();
            Assert.Equal(long.MinValue, recipient.LastCollectUnixMs);
            recipient.LastCollectUnixMs = 9;
            await context.SaveChangesAsync();
            Assert.Equal(1, await context.MailboxEnvelopes.Where(r => r.Sequence == 1).ExecuteDeleteAsync());
            Assert.Equal(9, (await context.MailboxRecipients.AsNoTracking().SingleAsync()).LastCollectUnixMs);
        }

        // The same key twice is refused by the primary key (mailbox, recipient, sequence).
        using (var context = contexts.Create())
        {
            context.MailboxEnvelopes.Add(new MailboxEnvelopeRow { MailboxId = "AA", RecipientTag = new string('B', 64), Sequence = 3, StoredAtUnixMs = 5, Envelope = [1] });
            context.MailboxEnvelopes.Add(new MailboxEnvelopeRow { MailboxId = "AB", RecipientTag = new string('B', 64), Sequence = 3, StoredAtUnixMs = 5, Envelope = [1] });
            await context.SaveChangesAsync();
        }

        using (var context = contexts.Create())
        {
            context.MailboxEnvelopes.Add(new MailboxEnvelopeRow { MailboxId = "AA", RecipientTag = new string('B', 64), Sequence = 3, StoredAtUnixMs = 6, Envelope = [2] });
            await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());
        }

        Assert.DoesNotContain(HistoryTables.All, t => t.Table.StartsWith("mailbox_", StringComparison.Ordinal));
    }
}
