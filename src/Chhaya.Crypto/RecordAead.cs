// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// Shared derivation for the AES-256-GCM record stream: a stream key is expanded by HKDF-SHA-256 (info
/// <see cref="DomainTags.AeadRecordAead"/>) into an AES key and a 12-byte base nonce; record <c>n</c> uses
/// <c>base XOR (0^4 ‖ u64be(n))</c>, the TLS 1.3 construction (RFC 8446 §5.3). Distinct counters give distinct
/// nonces, and the counter never wraps: <see cref="MaxRecords"/> records per key, then the stream refuses.
/// </summary>
public static class RecordAead
{
    /// <summary>Length of a stream key.</summary>
    public const int KeyLength = 32;

    /// <summary>Authentication tag length in bytes.</summary>
    public const int TagLength = 16;

    /// <summary>Largest plaintext per record.</summary>
    public const int MaxRecordLength = 1024 * 1024;

    /// <summary>
    /// Records per key. 2^32 is far below both the 2^64 counter space and AES-GCM's usage bounds for
    /// records up to <see cref="MaxRecordLength"/> (NIST SP 800-38D §8); rekey well before it.
    /// </summary>
    public const ulong MaxRecords = 1UL << 32;

    internal const int NonceLength = 12;

    internal static AesGcm DeriveCipher(ReadOnlySpan<byte> streamKey, ReadOnlySpan<byte> context, Span<byte> baseNonce)
    {
        Guard.ExactLength(streamKey.Length, KeyLength, nameof(streamKey));
        Span<byte> okm = stackalloc byte[32 + NonceLength];
        try
        {
            Kdf.DeriveLabeled(streamKey, default, DomainTags.AeadRecordAead, context, okm);
            okm[32..].CopyTo(baseNonce);
            return new AesGcm(okm[..32], TagLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    internal static void RecordNonce(ReadOnlySpan<byte> baseNonce, ulong counter, Span<byte> nonce)
    {
        baseNonce.CopyTo(nonce);
        var low = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ counter;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], low);
    }
}
