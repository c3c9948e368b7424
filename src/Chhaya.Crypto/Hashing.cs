// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// SHA-2 and HMAC helpers over spans, plus domain-separated ("tagged") hashes so a digest computed for one
/// purpose can never be mistaken for a digest computed for another.
/// </summary>
public static class Hashing
{
    /// <summary>Length of a SHA-256 digest in bytes.</summary>
    public const int Sha256Length = 32;

    /// <summary>Length of a SHA-512 digest in bytes.</summary>
    public const int Sha512Length = 64;

    /// <summary>Longest domain-separation tag accepted; tags are constants, so a long one is a bug.</summary>
    public const int MaxTagLength = 255;

    /// <summary>SHA-256 of <paramref name="data"/> into <paramref name="destination"/> (exactly 32 bytes).</summary>
    public static void Sha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, Sha256Length, nameof(destination));
        SHA256.HashData(data, destination);
    }

    /// <summary>SHA-256 of <paramref name="data"/> as a new array.</summary>
    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    /// <summary>SHA-512 of <paramref name="data"/> into <paramref name="destination"/> (exactly 64 bytes).</summary>
    public static void Sha512(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, Sha512Length, nameof(destination));
        SHA512.HashData(data, destination);
    }

    /// <summary>SHA-512 of <paramref name="data"/> as a new array.</summary>
    public static byte[] Sha512(ReadOnlySpan<byte> data) => SHA512.HashData(data);

    /// <summary>HMAC-SHA-256 of <paramref name="data"/> under <paramref name="key"/> into a 32-byte destination.</summary>
    public static void HmacSha256(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, Sha256Length, nameof(destination));
        HMACSHA256.HashData(key, data, destination);
    }

    /// <summary>HMAC-SHA-512 of <paramref name="data"/> under <paramref name="key"/> into a 64-byte destination.</summary>
    public static void HmacSha512(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, Sha512Length, nameof(destination));
        HMACSHA512.HashData(key, data, destination);
    }

    /// <summary>
    /// Checks an HMAC-SHA-256 tag in constant time. Tags of the wrong length are simply wrong.
    /// </summary>
    public static bool VerifyHmacSha256(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> expectedTag)
    {
        Span<byte> actual = stackalloc byte[Sha256Length];
        HMACSHA256.HashData(key, data, actual);
        return ConstantTime.Equals(actual, expectedTag);
    }

    /// <summary>
    /// Domain-separated SHA-256: <c>SHA-256(u8(len(tag)) ‖ tag ‖ u64be(len(data)) ‖ data)</c>.
    /// The tag's length prefix keeps (tag, data) pairs from colliding by shifting bytes between them.
    /// </summary>
    /// <remarks>The tag is an ASCII constant naming the purpose, e.g. <see cref="DomainTags.VkdNode"/>.</remarks>
    public static void TaggedSha256(string tag, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, Sha256Length, nameof(destination));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendTagged(hash, tag, data);
        hash.GetHashAndReset(destination);
    }

    /// <summary>Domain-separated SHA-512, laid out exactly as <see cref="TaggedSha256"/>.</summary>
    public static void TaggedSha512(string tag, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, Sha512Length, nameof(destination));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        AppendTagged(hash, tag, data);
        hash.GetHashAndReset(destination);
    }

    private static void AppendTagged(IncrementalHash hash, string tag, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(tag);
        Span<byte> tagBytes = stackalloc byte[MaxTagLength];
        var tagLength = DomainTags.Encode(tag, tagBytes);
        Span<byte> prefix = stackalloc byte[1];
        prefix[0] = (byte)tagLength;
        hash.AppendData(prefix);
        hash.AppendData(tagBytes[..tagLength]);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)data.Length);
        hash.AppendData(length);
        hash.AppendData(data);
    }
}
