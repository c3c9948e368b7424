// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Chhaya.LogStore.Hashing;

/// <summary>
/// Builds the SHA-256 hash that chains one history row to the previous one.
/// </summary>
/// <remarks>
/// The hashed bytes are a fixed, self-delimiting layout, never a serializer's output:
/// <c>"chhaya/logstore/v1" 0x00 table 0x00 || u64be sequence || u64be recorded_at_ms || previous_hash[32] || fields…</c>,
/// where each field is a one-byte type tag followed by its value (variable-length values carry a u32be length).
/// Tags and lengths make the encoding injective: two different rows can never hash the same bytes.
/// </remarks>
public sealed class RecordHasher : IDisposable
{
    /// <summary>Length of every chain hash.</summary>
    public const int HashLength = 32;

    private const byte TagBytes = 1;
    private const byte TagString = 2;
    private const byte TagInt64 = 3;
    private const byte TagNull = 4;

    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("chhaya/logstore/v1\0");

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    internal RecordHasher(string table, long sequence, long recordedAtUnixMs, ReadOnlySpan<byte> previousHash)
    {
        if (previousHash.Length != HashLength)
        {
            throw new ArgumentException($"The previous hash must be {HashLength} bytes.", nameof(previousHash));
        }

        _hash.AppendData(Domain);
        _hash.AppendData(Encoding.ASCII.GetBytes(table + "\0"));
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(header, sequence);
        BinaryPrimitives.WriteInt64BigEndian(header[8..], recordedAtUnixMs);
        _hash.AppendData(header);
        _hash.AppendData(previousHash);
    }

    /// <summary>Adds a byte-string field.</summary>
    public void Add(ReadOnlySpan<byte> value)
    {
        Span<byte> prefix = stackalloc byte[5];
        prefix[0] = TagBytes;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)value.Length);
        _hash.AppendData(prefix);
        _hash.AppendData(value);
    }

    /// <summary>Adds a text field (UTF-8), or a null marker.</summary>
    public void Add(string? value)
    {
        if (value is null)
        {
            _hash.AppendData([TagNull]);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> prefix = stackalloc byte[5];
        prefix[0] = TagString;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)bytes.Length);
        _hash.AppendData(prefix);
        _hash.AppendData(bytes);
    }

    /// <summary>Adds an integer field, or a null marker.</summary>
    public void Add(long? value)
    {
        if (value is not { } v)
        {
            _hash.AppendData([TagNull]);
            return;
        }

        Span<byte> buffer = stackalloc byte[9];
        buffer[0] = TagInt64;
        BinaryPrimitives.WriteInt64BigEndian(buffer[1..], v);
        _hash.AppendData(buffer);
    }

    /// <summary>Returns the hash of everything added.</summary>
    public byte[] Finish() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();
}
