// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Benchmarks.Crypto;

/// <summary>X25519, Ed25519, ML-KEM-1024, the hybrid KEM and ECVRF: one operation per call.</summary>
[MemoryDiagnoser]
[MinColumn]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet releases the fields in [GlobalCleanup].")]
public class AsymmetricBenchmarks
{
    private readonly byte[] _message = new byte[64];
    private readonly byte[] _signature = new byte[64];
    private readonly byte[] _shared = new byte[32];
    private readonly byte[] _mlKemCiphertext = new byte[MlKem1024.CiphertextLength];
    private readonly byte[] _hybridCiphertext = new byte[HybridKem.CiphertextLength];
    private readonly byte[] _alpha = "alice@example.org#1"u8.ToArray();
    private readonly byte[] _beta = new byte[EcVrf.OutputLength];
    private SecretBytes _x25519 = null!;
    private byte[] _peer = null!;
    private SecretBytes _edSeed = null!;
    private byte[] _edPublic = null!;
    private SecretBytes _mlKemSeed = null!;
    private MlKem1024KeyPair _mlKem = null!;
    private SecretBytes _hybrid = null!;
    private byte[] _hybridPublic = null!;
    private byte[] _proof = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_message);
        _x25519 = X25519.GeneratePrivateKey();
        using (var peer = X25519.GeneratePrivateKey())
        {
            _peer = X25519.PublicKey(peer);
        }

        _edSeed = Ed25519.GenerateSeed();
        _edPublic = Ed25519.PublicKey(_edSeed);
        Ed25519.Sign(_edSeed, _message, _signature);
        _mlKemSeed = SecretBytes.Random(MlKem1024.SeedLength);
        _mlKem = MlKem1024.FromSeed(_mlKemSeed);
        MlKem1024.Encapsulate(_mlKem.EncapsulationKey, _mlKemCiphertext).Dispose();
        _hybrid = HybridKem.GenerateSecretKey();
        _hybridPublic = HybridKem.PublicKey(_hybrid);
        HybridKem.Encapsulate(_hybridPublic, _hybridCiphertext).Dispose();
        _proof = EcVrf.Prove(_edSeed, _alpha);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x25519.Dispose();
        _edSeed.Dispose();
        _mlKemSeed.Dispose();
        _mlKem.Dispose();
        _hybrid.Dispose();
    }

    [Benchmark]
    public bool X25519_Agree() => X25519.TryAgree(_x25519, _peer, _shared);

    [Benchmark]
    public void Ed25519_Sign() => Ed25519.Sign(_edSeed, _edPublic, _message, _signature);

    [Benchmark]
    public bool Ed25519_Verify() => Ed25519.Verify(_edPublic, _message, _signature);

    [Benchmark]
    public void MlKem1024_KeyGen()
    {
        using var pair = MlKem1024.FromSeed(_mlKemSeed);
    }

    [Benchmark]
    public void MlKem1024_Encapsulate()
    {
        using var secret = MlKem1024.Encapsulate(_mlKem.EncapsulationKey, _mlKemCiphertext);
    }

    [Benchmark]
    public void MlKem1024_Decapsulate()
    {
        using var secret = _mlKem.Decapsulate(_mlKemCiphertext);
    }

    [Benchmark]
    public void HybridKem_Encapsulate()
    {
        using var secret = HybridKem.Encapsulate(_hybridPublic, _hybridCiphertext);
    }

    [Benchmark]
    public void HybridKem_Decapsulate()
    {
        using var secret = HybridKem.Decapsulate(_hybrid, _hybridCiphertext);
    }

    [Benchmark]
    public void EcVrf_Prove() => EcVrf.Prove(_edSeed, _alpha, _proof);

    [Benchmark]
    public bool EcVrf_Verify() => EcVrf.Verify(_edPublic, _alpha, _proof, _beta);
}
