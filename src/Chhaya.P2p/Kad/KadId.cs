// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Kad;

/// <summary>
/// A point of the 256-bit Kademlia key space: SHA-256 of a key's bytes (for a peer, of its multihash bytes), as the
/// spec's "Distance" section defines. Held as two 128-bit halves so XOR and comparison are cheap.
/// </summary>
public readonly record struct KadId(UInt128 High, UInt128 Low) : IComparable<KadId>
{
    public const int Bits = 256;

    /// <summary>The key-space point of arbitrary key bytes (record keys, provider keys).</summary>
    public static KadId FromKey(ReadOnlySpan<byte> key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(key, hash);
        return FromHash(hash);
    }

    /// <summary>The key-space point of a peer: SHA-256 of its peer id multihash.</summary>
    public static KadId FromPeer(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return FromKey(peer.Bytes);
    }

    /// <summary>Interprets 32 bytes as a point, most significant byte first.</summary>
    public static KadId FromHash(ReadOnlySpan<byte> hash) => new(
        BinaryPrimitives.ReadUInt128BigEndian(hash[..16]),
        BinaryPrimitives.ReadUInt128BigEndian(hash.Slice(16, 16)));

    /// <summary>The XOR distance to <paramref name="other"/>.</summary>
    public KadId Xor(KadId other) => new(High ^ other.High, Low ^ other.Low);

    /// <summary>Number of leading bits shared with <paramref name="other"/> (256 for itself).</summary>
    public int CommonPrefixLength(KadId other)
    {
        var d = Xor(other);
        return d.High != 0 ? (int)UInt128.LeadingZeroCount(d.High) : 128 + (int)UInt128.LeadingZeroCount(d.Low);
    }

    /// <summary>Compares as unsigned 256-bit integers (so distances compare as the spec orders them).</summary>
    public int CompareTo(KadId other)
    {
        var c = High.CompareTo(other.High);
        return c != 0 ? c : Low.CompareTo(other.Low);
    }

    /// <summary>
    /// A random point sharing exactly <paramref name="prefixLength"/> leading bits with this one (for bucket refresh:
    /// a target that falls into bucket <paramref name="prefixLength"/>).
    /// </summary>
    public KadId RandomWithPrefix(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, Bits - 1);
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        var r = FromHash(random);

        // distance = 0...0 1 (random bits): prefixLength zero bits, then a one, then anything.
        var mask = Mask(prefixLength + 1);
        var bit = Bit(prefixLength);
        var distance = new KadId((r.High & ~mask.High) | bit.High, (r.Low & ~mask.Low) | bit.Low);
        return Xor(distance);
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt128BigEndian(destination[..16], High);
        BinaryPrimitives.WriteUInt128BigEndian(destination.Slice(16, 16), Low);
    }

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[32];
        WriteTo(b);
        return Convert.ToHexStringLower(b);
    }

    public static bool operator <(KadId left, KadId right) => left.CompareTo(right) < 0;

    public static bool operator >(KadId left, KadId right) => left.CompareTo(right) > 0;

    public static bool operator <=(KadId left, KadId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(KadId left, KadId right) => left.CompareTo(right) >= 0;

    // The top n bits set.
    private static KadId Mask(int n) => n switch
    {
        <= 0 => new(0, 0),
        < 128 => new(UInt128.MaxValue << (128 - n), 0),
        128 => new(UInt128.MaxValue, 0),
        < 256 => new(UInt128.MaxValue, UInt128.MaxValue << (256 - n)),
        _ => new(UInt128.MaxValue, UInt128.MaxValue),
    };

    // Only bit i set, counting from the most significant bit 0.
    private static KadId Bit(int i) => i < 128 ? new(UInt128.One << (127 - i), 0) : new(0, UInt128.One << (255 - i));
}
