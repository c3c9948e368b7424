// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Chhaya.Bls;
using Chhaya.Bls.Curves;
using Chhaya.Bls.HashToCurve;
using Chhaya.Bls.Pairing;

namespace Chhaya.Benchmarks.Bls;

/// <summary>
/// The BLS operations compared with blst and noble in docs/performance/bls.md (the Node side is
/// tests/Chhaya.Interop.Tests/js/bls/bench.mjs). Each case mirrors what the Node script times.
/// </summary>
/// <remarks>
/// The minimum and median columns are there because the benchmark machine is shared: under load the
/// mean is dominated by time spent waiting for a core, and the minimum iteration is the figure that
/// compares with the fastest batch bench.mjs reports. For the same reason each case also prints, at its
/// cleanup, the process CPU time per call over all its calls (a line starting "// cpu"), the figure
/// that compares with bench.mjs's cpu column.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class BlsBenchmarks
{
    private static readonly byte[] Message = new byte[32];

    private BlsSecretKey _key = null!;
    private BlsSignature _signature = null!;
    private List<BlsPublicKey> _keys100 = null!;
    private BlsSignature _aggregate100 = null!;
    private List<BlsPublicKey> _keys10 = null!;
    private List<byte[]> _messages10 = null!;
    private BlsSignature _aggregate10 = null!;
    private TimeSpan _cpuAtStart;
    private long _calls;
    private string _case = "";

    [GlobalSetup]
    public void Setup()
    {
        _key = BlsSecretKey.KeyGen(new byte[32]);
        _signature = _key.Sign(Message);
        var keys = Enumerable.Range(0, 100).Select(i => BlsSecretKey.KeyGen(Enumerable.Repeat((byte)i, 32).ToArray())).ToList();
        _keys100 = keys.Select(k => k.PublicKey).ToList();
        _aggregate100 = BlsSignatures.Aggregate(keys.Select(k => k.Sign(Message)).ToList());
        _keys10 = _keys100.Take(10).ToList();
        _messages10 = Enumerable.Range(0, 10).Select(i => Enumerable.Repeat((byte)i, 32).ToArray()).ToList();
        _aggregate10 = BlsSignatures.Aggregate(keys.Take(10).Select((k, i) => k.Sign(_messages10[i])).ToList());
        foreach (var k in keys)
        {
            k.Dispose();
        }

        _calls = 0;
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart;
        if (_calls > 0)
        {
            Console.WriteLine(FormattableString.Invariant($"// cpu {_case}: {cpu.TotalMilliseconds / _calls:F3} ms/op over {_calls} calls"));
        }

        _key.Dispose();
    }

    [Benchmark]
    public BlsSignature Sign()
    {
        Count(nameof(Sign));
        return _key.Sign(Message);
    }

    [Benchmark]
    public bool Verify()
    {
        Count(nameof(Verify));
        return BlsSignatures.Verify(_key.PublicKey, Message, _signature);
    }

    [Benchmark]
    public bool FastAggregateVerify100()
    {
        Count(nameof(FastAggregateVerify100));
        return BlsSignatures.FastAggregateVerify(_keys100, Message, _aggregate100);
    }

    [Benchmark]
    public bool AggregateVerify10()
    {
        Count(nameof(AggregateVerify10));
        return BlsSignatures.AggregateVerify(_keys10, _messages10, _aggregate10);
    }

    [Benchmark]
    public bool HashToG2()
    {
        Count(nameof(HashToG2));
        return Hasher.HashToG2(Message, Ciphersuite.SignatureDstBytes).IsIdentity;
    }

    [Benchmark]
    public bool Pairing()
    {
        Count(nameof(Pairing));
        return Pairings.Pair(G1.Generator, G2.Generator).IsOne;
    }

    private void Count(string name)
    {
        _case = name;
        _calls++;
    }
}
