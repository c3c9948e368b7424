// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using Chhaya.LogStore;
using Chhaya.LogStore.Storage;
using Chhaya.Node.Identity;
using Chhaya.Node.P2p;
using Chhaya.Node.Witnessing;
using Chhaya.Node.Producer;
using Chhaya.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Node.Tests;

/// <summary>
/// A real <c>chhaya run</c> witness process on PostgreSQL, killed with SIGKILL at arbitrary points of its
/// pipeline and restarted: it must never co-sign two roots for one epoch, and must resume where it was.
/// </summary>
public sealed class WitnessCrashTests
{
    private const int Rounds = 4;

    [Fact]
    public async Task A_witness_killed_mid_pipeline_and_restarted_never_signs_a_conflicting_root_and_resumes()
    {
        using var producerDir = new TempDirectory();
        using var witnessDir = new TempDirectory();
        string directoryId, headKey, vrfKey;
        using (var keys = DirectoryKeys.LoadOrCreate(producerDir.Path))
        {
            (directoryId, headKey, vrfKey) = (keys.DirectoryId.ToHex(), Convert.ToHexStringLower(keys.HeadPublicKey), Convert.ToHexStringLower(keys.VrfPublicKey));
        }

        byte[] witnessKey;
        string pop;
        using (var key = WitnessKey.LoadOrCreate(Path.Combine(witnessDir.Path, "witness.key")))
        {
            witnessKey = key.PublicKey.Bytes.ToArray();
            pop = Convert.ToHexStringLower(key.ProvePossession().Bytes);
        }

        await using var producer = await TestNode.StartAsync(producerDir.Path, "--Producer:Enabled=true", "--Producer:EpochIntervalSeconds=0.2", "--Producer:RandomUpdatesPerEpoch=5");
        var source = producer.App.Services.GetRequiredService<NodeP2pHost>().Host.GetAnnounceAddresses()[0];
        var database = await PostgresTestServer.CreateDatabaseAsync("crash");
        string[] arguments =
        [
            "run", "--data-dir", witnessDir.Path, "--urls", "http://127.0.0.1:0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0",
            "--P2p:Mdns:Enabled=false", "--P2p:LoopbackOnly=true", $"--P2p:Bootstrap:0={source}",
            $"--Storage:PostgresConnectionString={database}",
            "--Witness:PollIntervalSeconds=0.2",
            .. new FollowArguments(directoryId, headKey, vrfKey, Threshold: 1)
            {
                EpochIntervalSeconds = 0.2,
                Witnesses = [(Convert.ToHexStringLower(witnessKey), pop)],
                Sources = [source.ToString()],
            }.ToArguments(),
        ];

        var store = new HistoryStore(new LogStoreContextFactory(new StorageOptions { PostgresConnectionString = database }), NullLogger<HistoryStore>.Instance);
        var random = new Random(20261125);
        long signed = 0;
        for (var round = 0; round < Rounds; round++)
        {
            using var witness = StartProcess(arguments);
            try
            {
                // Let it make progress past what it had, then kill it at an arbitrary moment.
                var target = signed + 3;
                await WaitUntilAsync(async () => (signed = await CountAsync(store, witnessKey)) >= target, witness);
                await Task.Delay(random.Next(0, 400));
            }
            finally
            {
                witness.Kill(entireProcessTree: true);
                await witness.WaitForExitAsync();
            }
        }

        using var db = store.Contexts.Create();
        var mine = await db.CoSignatures.AsNoTracking().Where(c => c.WitnessPublicKey == witnessKey).OrderBy(c => c.Sequence).ToListAsync();
        Assert.True(mine.Count >= Rounds * 3);

        // One root per epoch, epochs contiguous from 0: every restart resumed where the last run stopped.
        Assert.All(mine.GroupBy(c => c.Epoch), g => Assert.Single(g.Select(c => Convert.ToHexString(c.Root)).Distinct()));
        var epochs = mine.Select(c => c.Epoch).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(0, epochs.Count).Select(e => (long)e), epochs);
        Assert.Empty(await db.EquivocationEvidence.AsNoTracking().ToListAsync());
        Assert.All(await store.VerifyAsync(null, CancellationToken.None), report => Assert.True(report.Intact, report.Problem));
    }

    private static async Task<long> CountAsync(HistoryStore store, byte[] witnessKey)
    {
        try
        {
            using var db = store.Contexts.Create();
            return await db.CoSignatures.CountAsync(c => c.WitnessPublicKey == witnessKey);
        }
        catch (Npgsql.PostgresException)
        {
            return 0; // The witness has not created its tables yet.
        }
    }

    private static Process StartProcess(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chhaya.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Process witness)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (!await condition())
        {
            Assert.False(witness.HasExited, $"the witness process exited with code {(witness.HasExited ? witness.ExitCode : 0)}");
            await Task.Delay(100, timeout.Token);
        }
    }
}
