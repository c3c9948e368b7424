// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;
using Chhaya.Safety;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Storage;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Tree;
using Chhaya.Vkd.Wire;

namespace Chhaya.Benchmarks.Vkd;

/// <summary>Random leaves for the tree benchmarks (the tree cost without the VRF).</summary>
internal static class VkdBenchData
{
    public static AzksElement[] Leaves(Random random, int count)
    {
        var leaves = new AzksElement[count];
        var label = new byte[32];
        var value = new byte[32];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(label);
            random.NextBytes(value);
            leaves[i] = new AzksElement(new NodeLabel(label, NodeLabel.MaxBits), new Digest(value));
        }

        return leaves;
    }
}

/// <summary>
/// Publishing an epoch of updates onto a large directory: the tree work (insert + rehash) for 10k and
/// 100k updates (20k / 200k leaves: a fresh and a stale leaf each) onto a tree of 1M leaves. VRF cost is separate.
/// </summary>
[MemoryDiagnoser]
public class VkdPublishBenchmarks
{
    private VkdTree _tree = null!;
    private AzksElement[] _batch = [];
    private Random _random = null!;
    private ulong _epoch;

    [Params(1_000_000)]
    public int DirectoryLeaves { get; set; }

    [Params(20_000, 200_000)]
    public int BatchLeaves { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _random = new Random(1);
        _tree = new VkdTree(WhatsAppV1Configuration.Instance);
        _tree.Insert(VkdBenchData.Leaves(_random, DirectoryLeaves), 1);
        _epoch = 1;
    }

    [IterationSetup]
    public void NextBatch() => _batch = VkdBenchData.Leaves(_random, BatchLeaves);

    [Benchmark]
    public Digest PublishEpoch() => _tree.Insert(_batch, ++_epoch);
}

/// <summary>Append-only (audit) verification of one epoch step with 10k / 100k inserted leaves on a 1M-leaf tree.</summary>
[MemoryDiagnoser]
public class VkdAuditBenchmarks
{
    private byte[] _proof = [];
    private Digest _start;
    private Digest _end;

    [Params(10_000, 100_000)]
    public int Inserted { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        var tree = new VkdTree(WhatsAppV1Configuration.Instance);
        tree.Insert(VkdBenchData.Leaves(random, 1_000_000), 1);
        _start = tree.Root;
        _end = tree.Insert(VkdBenchData.Leaves(random, Inserted), 2);
        _proof = AkdProofCodec.Encode(tree.AppendOnlyStep(1, 2));
    }

    [Benchmark(Baseline = true)]
    public void VerifyInMemory() =>
        AppendOnlyVerifier.VerifyStep(WhatsAppV1Configuration.Instance, AkdProofCodec.DecodeSingleAppendOnlyProof(_proof), _start, _end, 2);

    [Benchmark]
    public StreamingAuditResult VerifyStreaming() =>
        StreamingAuditVerifier.Verify(WhatsAppV1Configuration.Instance, new MemoryStream(_proof, writable: false), _start, _end, 2);
}

/// <summary>Lookup proof generation and verification with the real ECVRF (3 VRF proofs each way).</summary>
[MemoryDiagnoser]
public class VkdLookupBenchmarks : IDisposable
{
    private SecretBytes _vrfKey = null!;
    private EcVrfProver _prover = null!;
    private VkdDirectory _directory = null!;
    private byte[] _proof = [];
    private byte[] _vrfPublicKey = [];

    [GlobalSetup]
    public void Setup()
    {
        _vrfKey = SecretBytes.CopyFrom(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray());
        _prover = new EcVrfProver(_vrfKey);
        using var commitment = SecretBytes.Random(32);
        using var signing = SecretBytes.Random(32);
        _directory = VkdDirectory.OpenAsync(
            new VkdDirectoryOptions(WhatsAppV1Configuration.Instance, default, _prover, commitment, signing), new InMemoryVkdStore()).GetAwaiter().GetResult();
        for (var epoch = 0; epoch < 4; epoch++)
        {
            var updates = Enumerable.Range(0, 64).Select(i => new KeyValuePair<byte[], byte[]>(BitConverter.GetBytes(i), BitConverter.GetBytes(epoch))).ToList();
            _directory.PublishAsync(updates).GetAwaiter().GetResult();
        }

        _vrfPublicKey = _directory.VrfPublicKey.ToArray();
        _proof = AkdProofCodec.Encode(_directory.GetLookupProof(BitConverter.GetBytes(7)));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _directory.Dispose();
        _prover.Dispose();
        _vrfKey.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public byte[] GenerateLookupProof() => AkdProofCodec.Encode(_directory.GetLookupProof(BitConverter.GetBytes(7)));

    [Benchmark]
    public VerifyResult VerifyLookupProof()
    {
        var head = _directory.LatestHead.Head;
        return VkdVerifier.VerifyLookup(WhatsAppV1Configuration.Instance, EcVrfVerifier.Instance, _vrfPublicKey, head.Root, head.Epoch, BitConverter.GetBytes(7), AkdProofCodec.DecodeLookupProof(_proof));
    }
}
