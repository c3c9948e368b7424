// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using Chhaya.LogStore;
using Chhaya.LogStore.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya audit verify</c>: recomputes every history table's hash chain.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var verify = new Command("verify", "Recompute the hash chain of every history table and report the first broken row. Works whether or not the node runs; extra --Storage:Key=value arguments select the database.")
        {
            dataDir,
        };
        verify.TreatUnmatchedTokensAsErrors = false;
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = NodeConfiguration.Load(parse.GetValue(dataDir), parse.UnmatchedTokens);
            var directory = NodeConfiguration.OpenDataDirectory(configuration);
            var options = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
            options.SqlitePath ??= directory.SqliteFile;
            if (options.Provider == StorageProvider.Sqlite && !File.Exists(options.SqlitePath))
            {
                await Console.Error.WriteLineAsync($"chhaya: there is no history at {options.SqlitePath}; start the node once with 'chhaya run' or point --data-dir at its data directory.");
                return 1;
            }

            var factory = new LogStoreContextFactory(options);
            Console.WriteLine($"Verifying the history in {factory.Describe()}");
            var store = new HistoryStore(factory, NullLogger<HistoryStore>.Instance);
            var reports = await store.VerifyAsync(new ConsoleProgress(), cancellationToken);
            var broken = reports.Count(r => !r.Intact);
            Console.WriteLine(broken == 0 ? "All history chains are intact." : $"{broken} history table(s) have been tampered with.");
            return broken == 0 ? 0 : 2;
        });

        return new Command("audit", "Check the node's own stored history.") { verify };
    }

    /// <summary>Prints each table as it is checked, on the calling thread, so lines come in order before the summary.</summary>
    private sealed class ConsoleProgress : IProgress<ChainReport>
    {
        public void Report(ChainReport value) => Console.WriteLine(value.Intact
            ? $"  {value.Table,-24} ok      {value.RowsChecked} rows"
            : $"  {value.Table,-24} BROKEN  at row {value.FirstBrokenSequence}: {value.Problem}");
    }
}
