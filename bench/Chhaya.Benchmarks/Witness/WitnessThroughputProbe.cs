// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using Chhaya.Bls;
using Chhaya.LogStore;
using Chhaya.LogStore.Storage;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Storage;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;
using Chhaya.Witness;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Benchmarks.Witness;

/// <summary>
/// Epochs audited and co-signed per second by one witness: a real directory publishes <c>--epochs</c>
/// epochs of <c>--updates</c> random updates each (not timed); then the witness engine, on a real SQLite
/// history, takes every head in turn — fetch and verify the append-only proof, persist, BLS co-sign —
/// and the whole run is timed. Usage: <c>witness-throughput --updates 1000 --epochs 20</c>.
/// </summary>
public static class WitnessThroughputProbe
{
    public static int Run(string[] args)
    {
        var updates = Option(args, "--updates", 1000);
        var epochs = Option(args, "--epochs", 20);
        return RunAsync(updates, epochs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int updates, int epochs)
    {
        var config = ExperimentalConfiguration.Example;
        var id = new Digest(Enumerable.Repeat((byte)0x5A, 32).ToArray());
        using var vrfKey = SecretBytes.Random(32);
        using var prover = new EcVrfProver(vrfKey);
        using var commitment = SecretBytes.Random(32);
        using var signing = SecretBytes.Random(32);
        using var directory = await VkdDirectory.OpenAsync(new VkdDirectoryOptions(config, id, prover, commitment, signing), new InMemoryVkdStore());
        Console.WriteLine($"publishing {epochs} epochs of {updates} updates (not timed)…");
        var heads = new List<SignedEpochHead> { directory.LatestHead };
        for (var e = 0; e < epochs; e++)
        {
            var batch = Enumerable.Range(0, updates).Select(i => new KeyValuePair<byte[], byte[]>(
                System.Text.Encoding.UTF8.GetBytes($"user-{e}-{i}"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))).ToList();
            heads.Add(await directory.PublishAsync(batch));
        }

        using var key = BlsSecretKey.Generate();
        var witnesses = WitnessSet.Create([new WitnessMember(key.PublicKey, key.ProvePossession())], 1);
        var followed = new FollowedDirectory(id, directory.SigningPublicKey.ToArray(), config, witnesses);
        var path = Path.Combine(Path.GetTempPath(), $"chhaya-witness-bench-{Environment.ProcessId}.db");
        try
        {
            var store = new HistoryStore(new LogStoreContextFactory(new StorageOptions { SqlitePath = path }), NullLogger<HistoryStore>.Instance);
            await store.MigrateAsync(CancellationToken.None);
            using var engine = new WitnessEngine(followed, key, store, new Source(directory), NullLogger<WitnessEngine>.Instance);
            await engine.OnHeadAsync(heads[0], "bench", CancellationToken.None);
            var watch = Stopwatch.StartNew();
            foreach (var head in heads.Skip(1))
            {
                var outcome = await engine.OnHeadAsync(head, "bench", CancellationToken.None);
                if (outcome.Disposition != HeadDisposition.CoSigned)
                {
                    Console.Error.WriteLine($"epoch {head.Head.Epoch}: {outcome.Disposition} {outcome.Reason}");
                    return 1;
                }
            }

            watch.Stop();
            var perSecond = epochs / watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{epochs} epochs of {updates} updates audited, persisted and co-signed in {watch.Elapsed.TotalSeconds:0.00} s: {perSecond:0.0} epochs/s, {watch.Elapsed.TotalMilliseconds / epochs:0.0} ms per epoch"));
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }

    /// <summary>Serves proofs straight from the directory: the probe measures the witness, not the network.</summary>
    private sealed class Source(VkdDirectory directory) : IDirectorySource
    {
        public Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken) => directory.GetHeadAsync(epoch, cancellationToken);

        public Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken) =>
            Task.FromResult(AkdProofCodec.Encode(directory.GetAppendOnlyProof(fromEpoch, toEpoch)));
    }
}
