// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Benchmarks.Crypto;

/// <summary>Hashes, HKDF and the three AEAD forms on a 1 KiB message (the size of a padded envelope bucket).</summary>
[MemoryDiagnoser]
[MinColumn]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet releases the fields in [GlobalCleanup].")]
public class SymmetricBenchmarks
{
    private readonly byte[] _message = new byte[1024];
    private readonly byte[] _sealed = new byte[1024 + 16];
    private readonly byte[] _opened = new byte[1024];
    private readonly byte[] _digest = new byte[32];
    private readonly byte[] _okm = new byte[44];
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _chachaSealed = new byte[1024 + 16];
    private readonly byte[] _messageSealed = new byte[1024 + 16];
    private SecretBytes _stream = null!;
    private RecordSealer _sealer = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_message);
        Random.Shared.NextBytes(_key);
        _stream = SecretBytes.CopyFrom(_key);
        _sealer = new RecordSealer(_stream, "bench"u8);
        ChaCha20Poly1305Aead.Encrypt(_key, _nonce, _message, default, _chachaSealed);
        using var mk = MessageKey.FromSecret(SecretBytes.CopyFrom(_key));
        mk.Seal(_message, default, _messageSealed);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sealer.Dispose();
        _stream.Dispose();
    }

    [Benchmark]
    public void Sha256_1KiB() => Hashing.Sha256(_message, _digest);

    [Benchmark]
    public void Hkdf_Sha256_44B() => Kdf.DeriveKey(_key, default, "chhaya/v1/aead/aes256gcm/hkdf-n12"u8, _okm);

    [Benchmark]
    public void ChaCha20Poly1305_Encrypt_1KiB() => ChaCha20Poly1305Aead.Encrypt(_key, _nonce, _message, default, _sealed);

    [Benchmark]
    public bool ChaCha20Poly1305_Decrypt_1KiB() => ChaCha20Poly1305Aead.TryDecrypt(_key, _nonce, _chachaSealed, default, _opened);

    /// <summary>HKDF-n12 + AES-256-GCM: what one Double Ratchet message costs.</summary>
    [Benchmark]
    public void MessageKey_Seal_1KiB()
    {
        using var mk = MessageKey.FromSecret(SecretBytes.CopyFrom(_key));
        mk.Seal(_message, default, _sealed);
    }

    [Benchmark]
    public bool MessageAead_Open_1KiB() => MessageAead.TryOpen(_key, _messageSealed, default, _opened);

    /// <summary>AES-256-GCM with a counter nonce and a cached key schedule.</summary>
    [Benchmark]
    public ulong RecordSealer_Seal_1KiB()
    {
        if (_sealer.NextCounter > 1UL << 30)
        {
            _sealer.Dispose();
            _sealer = new RecordSealer(_stream, "bench"u8);
        }

        return _sealer.Seal(_message, default, _sealed);
    }
}
