// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;
using Chhaya.LogStore;
using Chhaya.LogStore.Storage;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Testing;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Storage;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.Witness.Tests;

/// <summary>A real directory producer and real BLS witness keys, for driving witnesses in tests.</summary>
internal sealed class WitnessHarness : IDisposable
{
    public static readonly byte[] SigningSeed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    public static readonly Digest DirectoryId = new(Enumerable.Repeat((byte)0xD1, 32).ToArray());
    public static readonly VkdConfiguration Configuration = ExperimentalConfiguration.Example;

    private readonly TempDirectory _temp = new();
    private readonly List<IDisposable> _owned = [];

    private WitnessHarness(VkdDirectory producer, BlsSecretKey[] keys, WitnessSet witnesses)
    {
        Producer = producer;
        Keys = keys;
        Witnesses = witnesses;
        Followed = new FollowedDirectory(DirectoryId, producer.SigningPublicKey.ToArray(), Configuration, witnesses);
    }

    public VkdDirectory Producer { get; }

    public BlsSecretKey[] Keys { get; }

    public WitnessSet Witnesses { get; }

    public FollowedDirectory Followed { get; }

    public static async Task<WitnessHarness> CreateAsync(int witnesses = 3, int threshold = 2)
    {
        var keys = Enumerable.Range(0, witnesses).Select(i => BlsSecretKey.KeyGen(Enumerable.Repeat((byte)(0x40 + i), 32).ToArray())).ToArray();
        var set = WitnessSet.Create(keys.Select(k => new WitnessMember(k.PublicKey, k.ProvePossession())), threshold);
        return new WitnessHarness(await OpenProducerAsync(), keys, set);
    }

    /// <summary>A second producer with the same keys: what a directory that equivocates runs.</summary>
    public static Task<VkdDirectory> OpenProducerAsync() => OpenProducerAsync(new InMemoryVkdStore());

    private static async Task<VkdDirectory> OpenProducerAsync(IVkdStore store)
    {
        using var vrfKey = SecretBytes.CopyFrom(Enumerable.Repeat((byte)7, 32).ToArray());
        var prover = new EcVrfProver(vrfKey);
        using var commitment = SecretBytes.CopyFrom(new byte[32]);
        using var signing = SecretBytes.CopyFrom(SigningSeed);
        return await VkdDirectory.OpenAsync(new VkdDirectoryOptions(Configuration, DirectoryId, prover, commitment, signing), store);
    }

    /// <summary>A fresh history store on its own SQLite file.</summary>
    public async Task<HistoryStore> NewStoreAsync(string name = "witness")
    {
        var options = new StorageOptions { SqlitePath = Path.Combine(_temp.Path, name + ".db") };
        var store = new HistoryStore(new LogStoreContextFactory(options), NullLogger<HistoryStore>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    public WitnessEngine Engine(int witness, HistoryStore store, IDirectorySource? source = null)
    {
        var engine = new WitnessEngine(Followed, Keys[witness], store, source ?? new ProducerSource(Producer), NullLogger<WitnessEngine>.Instance);
        _owned.Add(engine);
        return engine;
    }

    public static KeyValuePair<byte[], byte[]> Update(string label, string value) =>
        new(System.Text.Encoding.UTF8.GetBytes(label), System.Text.Encoding.UTF8.GetBytes(value));

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Producer.Dispose();
        foreach (var key in Keys)
        {
            key.Dispose();
        }

        _temp.Dispose();
    }
}

/// <summary>Serves heads and proofs straight from a producer, as the directory's own endpoint would.</summary>
internal sealed class ProducerSource(VkdDirectory producer) : IDirectorySource
{
    public Func<ulong, ulong, byte[]>? ProofOverride { get; set; }

    public int ProofRequests { get; private set; }

    public Task<SignedEpochHead?> GetHeadAsync(ulong epoch, CancellationToken cancellationToken) => producer.GetHeadAsync(epoch, cancellationToken);

    public Task<byte[]> GetAppendOnlyProofAsync(ulong fromEpoch, ulong toEpoch, CancellationToken cancellationToken)
    {
        ProofRequests++;
        return Task.FromResult(ProofOverride?.Invoke(fromEpoch, toEpoch) ?? AkdProofCodec.Encode(producer.GetAppendOnlyProof(fromEpoch, toEpoch)));
    }
}
