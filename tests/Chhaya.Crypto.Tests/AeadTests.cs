// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.Crypto.Tests;

public sealed class AeadTests
{
    [Fact]
    public void ChaCha20Poly1305_matches_RFC8439_section_2_8_2()
    {
        var key = Convert.FromHexString("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        var nonce = Convert.FromHexString("070000004041424344454647");
        var aad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
        var plaintext = Encoding.ASCII.GetBytes(
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
        var sealedBytes = ChaCha20Poly1305Aead.Encrypt(key, nonce, plaintext, aad);
        Assert.Equal("1ae10b594f09e26a7e902ecbd0600691", Convert.ToHexStringLower(sealedBytes.AsSpan(sealedBytes.Length - 16)));
        Assert.StartsWith("d31a8d34648e60db7b86afbc53ef7ec2", Convert.ToHexStringLower(sealedBytes), StringComparison.Ordinal);
        Assert.Equal(plaintext, ChaCha20Poly1305Aead.Decrypt(key, nonce, sealedBytes, aad));

        sealedBytes[3] ^= 1;
        Assert.Null(ChaCha20Poly1305Aead.Decrypt(key, nonce, sealedBytes, aad));
        Assert.Null(ChaCha20Poly1305Aead.Decrypt(key, nonce, sealedBytes.AsSpan(0, 15), aad));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChaCha20Poly1305_platform_and_BouncyCastle_paths_both_match_RFC8439(bool usePlatform)
    {
        if (usePlatform)
        {
            Assert.True(ChaCha20Poly1305Aead.PlatformSupported, "the build machines have OpenSSL 3, which has ChaCha20-Poly1305");
        }

        var key = Convert.FromHexString("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        var nonce = Convert.FromHexString("070000004041424344454647");
        var aad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
        var plaintext = Encoding.ASCII.GetBytes(
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
        var sealedBytes = new byte[plaintext.Length + 16];
        ChaCha20Poly1305Aead.Encrypt(usePlatform, key, nonce, plaintext, aad, sealedBytes);
        Assert.Equal("1ae10b594f09e26a7e902ecbd0600691", Convert.ToHexStringLower(sealedBytes.AsSpan(sealedBytes.Length - 16)));
        var opened = new byte[plaintext.Length];
        Assert.True(ChaCha20Poly1305Aead.TryDecrypt(usePlatform, key, nonce, sealedBytes, aad, opened));
        Assert.Equal(plaintext, opened);
        sealedBytes[0] ^= 1;
        Assert.False(ChaCha20Poly1305Aead.TryDecrypt(usePlatform, key, nonce, sealedBytes, aad, opened));
        Assert.True(opened.All(b => b == 0));
    }

    [Fact]
    public void ChaCha20Poly1305_round_trips_and_rejects_any_tampering()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[12], Gen.Byte.Array[0, 300], Gen.Byte.Array[0, 40], Gen.Int[0, 1000])
            .Sample((key, nonce, pt, aad, flip) =>
            {
                var ct = ChaCha20Poly1305Aead.Encrypt(key, nonce, pt, aad);
                Assert.Equal(pt, ChaCha20Poly1305Aead.Decrypt(key, nonce, ct, aad));
                ct[flip % ct.Length] ^= 0x80;
                Assert.Null(ChaCha20Poly1305Aead.Decrypt(key, nonce, ct, aad));
            }, iter: 200);
    }

    [Fact]
    public void MessageKey_seals_once_and_the_receiver_opens_with_the_same_key_bytes()
    {
        var keyBytes = new byte[32];
        Random.Shared.NextBytes(keyBytes);
        using var key = MessageKey.FromSecret(SecretBytes.CopyFrom(keyBytes));
        var aad = "header"u8.ToArray();
        var ct = key.Seal("hello"u8, aad);
        Assert.True(key.IsSpent);
        Assert.Throws<InvalidOperationException>(() => key.Seal("again"u8, aad));

        using var receiver = SecretBytes.CopyFrom(keyBytes);
        Assert.Equal("hello"u8.ToArray(), MessageAead.Open(receiver, ct, aad));
        Assert.Null(MessageAead.Open(receiver, ct, "other"u8));
        ct[^1] ^= 1;
        Assert.Null(MessageAead.Open(receiver, ct, aad));
    }

    [Fact]
    public void MessageKey_argument_errors_do_not_spend_the_key()
    {
        using var key = MessageKey.Generate();
        Assert.Throws<ArgumentException>(() => key.Seal("abc"u8, default, new byte[5]));
        Assert.False(key.IsSpent);
        Assert.Equal(19, key.Seal("abc"u8, default).Length);
    }

    [Fact]
    public void MessageAead_derives_key_and_nonce_by_HKDF_n12_as_documented()
    {
        var keyBytes = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        var okm = new byte[44];
        System.Security.Cryptography.HKDF.DeriveKey(
            System.Security.Cryptography.HashAlgorithmName.SHA256, keyBytes, okm, [], [.. "chhaya/v1/aead/aes256gcm/hkdf-n12"u8, 0]);
        var expected = new byte[3 + 16];
        using (var aes = new System.Security.Cryptography.AesGcm(okm.AsSpan(0, 32), 16))
        {
            aes.Encrypt(okm.AsSpan(32), "abc"u8, expected.AsSpan(0, 3), expected.AsSpan(3), "ad"u8);
        }

        using var key = MessageKey.FromSecret(SecretBytes.CopyFrom(keyBytes));
        Assert.Equal(expected, key.Seal("abc"u8, "ad"u8));
    }

    [Fact]
    public void Record_stream_needs_strictly_increasing_counters_and_binds_context()
    {
        using var streamKey = SecretBytes.Random(32);
        using var sealer = new RecordSealer(streamKey, "session-1"u8);
        using var opener = new RecordOpener(streamKey, "session-1"u8);
        using var otherContext = new RecordOpener(streamKey, "session-2"u8);

        var records = new List<(ulong Counter, byte[] Ciphertext)>();
        for (var i = 0; i < 4; i++)
        {
            var ct = new byte[1 + 16];
            records.Add((sealer.Seal([(byte)i], "ad"u8, ct), ct));
        }

        Assert.Equal([0UL, 1, 2, 3], records.Select(r => r.Counter));
        Assert.NotEqual(records[0].Ciphertext, records[1].Ciphertext);
        var output = new byte[1];
        Assert.False(otherContext.TryOpen(0, records[0].Ciphertext, "ad"u8, output));
        Assert.True(opener.TryOpen(1, records[1].Ciphertext, "ad"u8, output));
        Assert.Equal(1, output[0]);
        Assert.False(opener.TryOpen(0, records[0].Ciphertext, "ad"u8, output));
        Assert.False(opener.TryOpen(1, records[1].Ciphertext, "ad"u8, output));
        Assert.False(opener.TryOpen(3, records[2].Ciphertext, "ad"u8, output));
        Assert.Equal(2UL, opener.NextCounter);
        Assert.True(opener.TryOpen(3, records[3].Ciphertext, "ad"u8, output));
        Assert.Equal(3, output[0]);
        Assert.False(opener.TryOpen(RecordAead.MaxRecords, records[3].Ciphertext, "ad"u8, output));
    }

    [Fact]
    public void Record_stream_refuses_to_go_past_its_last_counter()
    {
        using var streamKey = SecretBytes.Random(32);
        using var sealer = new RecordSealer(streamKey, default, RecordAead.MaxRecords - 1);
        using var opener = new RecordOpener(streamKey, default);
        var ct = new byte[16];
        Assert.Equal(RecordAead.MaxRecords - 1, sealer.Seal([], default, ct));
        Assert.True(opener.TryOpen(RecordAead.MaxRecords - 1, ct, default, []));
        Assert.Throws<InvalidOperationException>(() => sealer.Seal([], default, new byte[16]));
        Assert.Equal(RecordAead.MaxRecords, sealer.NextCounter);
        Assert.False(opener.TryOpen(RecordAead.MaxRecords - 1, ct, default, []));
    }

    [Fact]
    public void Record_nonce_is_the_base_xor_the_big_endian_counter()
    {
        var baseNonce = Convert.FromHexString("0102030405060708090a0b0c");
        var nonce = new byte[12];
        RecordAead.RecordNonce(baseNonce, 0x0102, nonce);
        Assert.Equal("0102030405060708090a0a0e", Convert.ToHexStringLower(nonce));
        RecordAead.RecordNonce(baseNonce, 0, nonce);
        Assert.Equal(baseNonce, nonce);
    }
}
