// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using Npgsql;

namespace Chhaya.LogStore.Tests;

/// <summary>Runs the real psql client, as an operator would by hand.</summary>
internal static class Psql
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string connectionString, string sql)
    {
        var executable = Environment.GetEnvironmentVariable("CHHAYA_TEST_PSQL") ?? "psql";
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-X", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!, "-c", sql },
        };
        start.Environment["PGPASSWORD"] = builder.Password ?? "";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The psql client is needed for this test: install Debian's postgresql-client or run scripts/test.", e);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
