// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Chhaya.LogStore.DirectoryState;
using Chhaya.LogStore.Storage;
using Chhaya.Testing;
using Chhaya.Vkd.Storage;
using Chhaya.Witness.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Witness.Tests;

/// <summary>The directory's storage conformance suite, on the node's database with each provider.</summary>
public abstract class LogStoreVkdStoreConformance
{
    public static TheoryData<string> Cases => [.. VkdStoreConformance.CaseNames];

    protected abstract Task<StorageOptions> CreateOptionsAsync();

    protected async Task<(IVkdStore Store, LogStoreContextFactory Contexts)> NewStoreAsync(string directory = "d1")
    {
        var factory = new LogStoreContextFactory(await CreateOptionsAsync());
        await new HistoryStore(factory, NullLogger<HistoryStore>.Instance).MigrateAsync(CancellationToken.None);
        return (new LogStoreVkdStore(new DirectoryStateStore(factory, directory)), factory);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Conforms(string caseName)
    {
        var (store, _) = await NewStoreAsync();
        await VkdStoreConformance.RunAsync(caseName, store);
    }

    [Fact]
    public async Task Two_directories_in_one_database_do_not_see_each_other()
    {
        var options = await CreateOptionsAsync();
        var factory = new LogStoreContextFactory(options);
        await new HistoryStore(factory, NullLogger<HistoryStore>.Instance).MigrateAsync(CancellationToken.None);
        var a = new LogStoreVkdStore(new DirectoryStateStore(factory, "a"));
        var b = new LogStoreVkdStore(new DirectoryStateStore(factory, "b"));
        await a.CommitEpochAsync(new EpochCommit(new StoredEpoch(0, default, new byte[] { 1 }), [], []));
        Assert.Equal(0UL, await a.GetLatestEpochAsync());
        Assert.Null(await b.GetLatestEpochAsync());
    }

    [Fact]
    public async Task The_database_refuses_to_rewrite_a_committed_epoch()
    {
        var (store, factory) = await NewStoreAsync();
        await store.CommitEpochAsync(new EpochCommit(new StoredEpoch(0, default, new byte[] { 1 }), [], []));
        using var db = factory.Create();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE directory_epochs SET signed_head = signed_head"));
        Assert.Contains(AppendOnlyTriggers.RefusalMessage, e.Message, StringComparison.Ordinal);
    }
}

public sealed class SqliteVkdStoreTests : LogStoreVkdStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new();
    private int _files;

    protected override Task<StorageOptions> CreateOptionsAsync() =>
        Task.FromResult(new StorageOptions { SqlitePath = Path.Combine(_directory.Path, $"vkd{Interlocked.Increment(ref _files)}.db") });

    public void Dispose() => _directory.Dispose();
}

public sealed class PostgresVkdStoreTests : LogStoreVkdStoreConformance
{
    protected override async Task<StorageOptions> CreateOptionsAsync() =>
        new() { PostgresConnectionString = await PostgresTestServer.CreateDatabaseAsync("vkdstore") };
}
