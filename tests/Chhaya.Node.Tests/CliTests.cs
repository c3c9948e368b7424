// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Testing;

namespace Chhaya.Node.Tests;

/// <summary>The <c>chhaya</c> commands, run as a user would.</summary>
public class CliTests
{
    private static Task<(int ExitCode, string Stdout, string Stderr)> ChhayaAsync(params string[] arguments) => ChhayaProcess.RunAsync(arguments);

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (code, stdout, _) = await ChhayaAsync("--version");
        Assert.Equal(0, code);
        Assert.Equal("0.1.0", stdout.Trim());
    }

    [Fact]
    public async Task Id_creates_the_identity_once_and_then_reuses_it()
    {
        using var directory = new TempDirectory();
        var (code, first, _) = await ChhayaAsync("id", "--data-dir", directory.Path);
        Assert.Equal(0, code);
        Assert.Contains("a new identity was created", first, StringComparison.Ordinal);
        var (_, second, _) = await ChhayaAsync("id", "--data-dir", directory.Path);
        Assert.DoesNotContain("new identity", second, StringComparison.Ordinal);
        Assert.Equal(first.Split('\n')[0], second.Split('\n')[0]);
        Assert.Matches("^identity-key: ed25519:[0-9a-f]{64}$", second.Split('\n')[0]);
    }

    [Fact]
    public async Task A_corrupt_identity_file_is_reported_not_replaced()
    {
        using var directory = new TempDirectory();
        var keyFile = Path.Combine(directory.Path, "identity.key");
        await File.WriteAllTextAsync(keyFile, "not a key");
        var (code, _, stderr) = await ChhayaAsync("id", "--data-dir", directory.Path);
        Assert.NotEqual(0, code);
        Assert.Contains("identity", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("not a key", await File.ReadAllTextAsync(keyFile));
    }

    [Fact]
    public async Task Status_without_a_running_node_says_how_to_start_one()
    {
        using var directory = new TempDirectory();
        var (code, _, stderr) = await ChhayaAsync("status", "--data-dir", directory.Path);
        Assert.Equal(1, code);
        Assert.Contains("chhaya run", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_verify_reports_intact_chains_and_finds_tampering()
    {
        using var directory = new TempDirectory();
        await using (var node = await TestNode.StartAsync(directory.Path))
        {
            for (var epoch = 1; epoch <= 3; epoch++)
            {
                await node.Store.AppendAsync(new LogStore.Records.EpochHeadRecord { DirectoryId = "ab", Epoch = epoch, Root = [1], PreviousRoot = [0], SignedHead = [9], Source = "local" }, CancellationToken.None);
            }
        }

        var (code, stdout, _) = await ChhayaAsync("audit", "verify", "--data-dir", directory.Path);
        Assert.Equal(0, code);
        Assert.Contains("epoch_heads              ok      3 rows", stdout, StringComparison.Ordinal);

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory.Path, "chhaya.db")};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER epoch_heads_no_update; UPDATE epoch_heads SET epoch = 7 WHERE sequence = 2;";
            await command.ExecuteNonQueryAsync();
        }

        (code, stdout, _) = await ChhayaAsync("audit", "verify", "--data-dir", directory.Path);
        Assert.Equal(2, code);
        Assert.Contains("BROKEN  at row 2", stdout, StringComparison.Ordinal);
    }
}
