// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Testing;

namespace Chhaya.LogStore.Tests;

/// <summary>The conformance suite on a real SQLite file.</summary>
public sealed class SqliteHistoryStoreTests : HistoryStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<StorageOptions> CreateOptionsAsync() =>
        Task.FromResult(new StorageOptions { SqlitePath = Path.Combine(_directory.Path, "chhaya.db") });

    protected override string DisableTriggersSql(string table) =>
        $"DROP TRIGGER {table}_no_update; DROP TRIGGER {table}_no_delete;";

    [Fact]
    public void The_database_file_is_created_in_the_data_directory() =>
        Assert.True(File.Exists(Path.Combine(_directory.Path, "chhaya.db")));

    public void Dispose() => _directory.Dispose();
}

/// <summary>The conformance suite on a real PostgreSQL server.</summary>
public sealed class PostgresHistoryStoreTests : HistoryStoreConformance
{
    protected override async Task<StorageOptions> CreateOptionsAsync() =>
        new() { PostgresConnectionString = await PostgresTestServer.CreateDatabaseAsync("logstore") };

    protected override string DisableTriggersSql(string table) => $"ALTER TABLE {table} DISABLE TRIGGER USER";

    [Theory]
    [InlineData("UPDATE epoch_heads SET epoch = 99;")]
    [InlineData("DELETE FROM epoch_heads;")]
    [InlineData("TRUNCATE epoch_heads;")]
    public async Task An_operator_with_psql_cannot_change_history(string sql)
    {
        await Store.AppendAsync(Head("aa", 1), CancellationToken.None);
        var (exitCode, output) = await Psql.RunAsync(Options.PostgresConnectionString!, sql);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("append-only", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncate_is_refused_too()
    {
        await Store.AppendAsync(Head("aa", 1), CancellationToken.None);
        using var context = Store.Contexts.Create();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(context.Database, "TRUNCATE epoch_heads"));
        Assert.Contains("append-only", e.Message, StringComparison.Ordinal);
    }
}
