// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Benchmarks.Crypto;

/// <summary>
/// ML-KEM-1024 and the hybrid KEM on Chhaya's own FIPS 203 code, the operations
/// tests/Chhaya.Interop.Tests/js/crypto/bench-mlkem.mjs times with @noble/post-quantum.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet releases the fields in [GlobalCleanup].")]
public class MlKemBenchmarks
{
    private readonly byte[] _ciphertext = new byte[MlKem1024.CiphertextLength];
    private readonly byte[] _tampered = new byte[MlKem1024.CiphertextLength];
    private readonly byte[] _hybridCiphertext = new byte[HybridKem.CiphertextLength];
    private SecretBytes _seed = null!;
    private MlKem1024KeyPair _pair = null!;
    private HybridKemKeyPair _hybrid = null!;

    [GlobalSetup]
    public void Setup()
    {
        _seed = SecretBytes.Random(MlKem1024.SeedLength);
        _pair = MlKem1024.FromSeed(_seed);
        MlKem1024.Encapsulate(_pair.EncapsulationKey, _ciphertext).Dispose();
        _ciphertext.CopyTo(_tampered, 0);
        _tampered[100] ^= 1;
        using var hybridSecret = HybridKem.GenerateSecretKey();
        _hybrid = HybridKemKeyPair.FromSecretKey(hybridSecret);
        HybridKem.Encapsulate(_hybrid.PublicKey, _hybridCiphertext).Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair.Dispose();
        _seed.Dispose();
        _hybrid.Dispose();
    }

    /// <summary>KeyGen_internal from a 64-byte seed (ek and the expanded dk).</summary>
    [Benchmark]
    public void KeyGen()
    {
        using var pair = MlKem1024.FromSeed(_seed);
    }

    /// <summary>Modulus check, then Encaps with fresh randomness.</summary>
    [Benchmark]
    public void Encapsulate()
    {
        using var secret = MlKem1024.Encapsulate(_pair.EncapsulationKey, _ciphertext);
    }

    /// <summary>Hash check, then Decaps of a valid ciphertext.</summary>
    [Benchmark]
    public void Decapsulate()
    {
        using var secret = _pair.Decapsulate(_ciphertext);
    }

    /// <summary>Decaps of a tampered ciphertext: the implicit-rejection path, which must cost the same.</summary>
    [Benchmark]
    public void DecapsulateTampered()
    {
        using var secret = _pair.Decapsulate(_tampered);
    }

    /// <summary>X25519 + ML-KEM-1024 encapsulation and the SHA3-256 combiner.</summary>
    [Benchmark]
    public void HybridEncapsulate()
    {
        using var secret = HybridKem.Encapsulate(_hybrid.PublicKey, _hybridCiphertext);
    }

    /// <summary>Hybrid decapsulation with a pre-expanded key pair.</summary>
    [Benchmark]
    public void HybridDecapsulate()
    {
        using var secret = _hybrid.Decapsulate(_hybridCiphertext);
    }
}
