// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Numerics;
using Chhaya.Safety;

namespace Chhaya.Vkd.Core;

/// <summary>
/// The position of a node in the binary trie: up to 256 bits of path (bit 0 is the most significant bit
/// of the first byte; 0 = left, 1 = right) and the number of bits in use. This is AKD's <c>NodeLabel</c>:
/// a leaf's label is a 256-bit VRF output, an interior node's label is the longest common prefix of
/// its two children, the root's label is empty.
/// </summary>
/// <remarks>
/// Equality compares all 256 value bits and the length, as AKD does, so a label carrying bits beyond
/// its length is a different label; <see cref="IsCanonical"/> tells whether the unused bits are zero.
/// </remarks>
public readonly struct NodeLabel : IEquatable<NodeLabel>
{
    /// <summary>Maximum number of bits in a label.</summary>
    public const int MaxBits = 256;

    /// <summary>Number of value bytes.</summary>
    public const int ValueLength = 32;

    /// <summary>Size of the serialised form used in hashing: <c>u32be(length) ‖ value[32]</c>.</summary>
    public const int SerializedLength = 36;

    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    private NodeLabel(ulong w0, ulong w1, ulong w2, ulong w3, int bitLength)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
        BitLength = bitLength;
    }

    /// <summary>Builds a label from 32 value bytes and a bit length.</summary>
    /// <exception cref="ArgumentException">The value is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The length is over 256.</exception>
    public NodeLabel(ReadOnlySpan<byte> value, int bitLength)
    {
        Guard.ExactLength(value.Length, ValueLength, nameof(value));
        Guard.InRange(bitLength, 0, MaxBits, nameof(bitLength));
        _w0 = BinaryPrimitives.ReadUInt64BigEndian(value);
        _w1 = BinaryPrimitives.ReadUInt64BigEndian(value[8..]);
        _w2 = BinaryPrimitives.ReadUInt64BigEndian(value[16..]);
        _w3 = BinaryPrimitives.ReadUInt64BigEndian(value[24..]);
        BitLength = bitLength;
    }

    /// <summary>The root's label: no bits.</summary>
    public static NodeLabel Root => default;

    /// <summary>A full 256-bit leaf label from a digest (e.g. a VRF output).</summary>
    public static NodeLabel FromDigest(Digest digest)
    {
        Span<byte> bytes = stackalloc byte[ValueLength];
        digest.CopyTo(bytes);
        return new NodeLabel(bytes, MaxBits);
    }

    /// <summary>Number of bits in use.</summary>
    public int BitLength { get; }

    /// <summary>True when every bit past <see cref="BitLength"/> is zero.</summary>
    public bool IsCanonical => Equals(Prefix(BitLength));

    /// <summary>Bit <paramref name="index"/> of the value (0 = most significant bit of byte 0).</summary>
    public int GetBit(int index)
    {
        Guard.InRange(index, 0, MaxBits - 1, nameof(index));
        return (int)((Word(index >> 6) >> (63 - (index & 63))) & 1UL);
    }

    /// <summary>The first <paramref name="bitLength"/> bits, the rest zeroed.</summary>
    public NodeLabel Prefix(int bitLength)
    {
        Guard.InRange(bitLength, 0, MaxBits, nameof(bitLength));
        return new NodeLabel(
            _w0 & Mask(bitLength, 0),
            _w1 & Mask(bitLength, 1),
            _w2 & Mask(bitLength, 2),
            _w3 & Mask(bitLength, 3),
            bitLength);
    }

    /// <summary>Number of leading bits the two values share, capped at the shorter length.</summary>
    public int CommonPrefixLength(NodeLabel other)
    {
        var limit = Math.Min(BitLength, other.BitLength);
        var common = 0;
        for (var i = 0; i < 4; i++)
        {
            var diff = Word(i) ^ other.Word(i);
            if (diff != 0)
            {
                common = (i * 64) + BitOperations.LeadingZeroCount(diff);
                return Math.Min(common, limit);
            }
        }

        return limit;
    }

    /// <summary>True when this label's bits are the leading bits of <paramref name="other"/> (AKD <c>is_prefix_of</c>).</summary>
    public bool IsPrefixOf(NodeLabel other) => BitLength <= other.BitLength && CommonPrefixLength(other) == BitLength;

    /// <summary>Orders labels by their bits, left to right in the tree (zero-padded value comparison).</summary>
    public int CompareValue(NodeLabel other)
    {
        for (var i = 0; i < 4; i++)
        {
            var c = Word(i).CompareTo(other.Word(i));
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>Writes the 32 value bytes.</summary>
    public void WriteValue(Span<byte> destination)
    {
        Guard.MaxLength(ValueLength, destination.Length, nameof(destination));
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    /// <summary>Writes AKD's <c>NodeLabel::to_bytes</c>: <c>u32be(bit length) ‖ value[32]</c>.</summary>
    public void WriteSerialized(Span<byte> destination)
    {
        Guard.MaxLength(SerializedLength, destination.Length, nameof(destination));
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)BitLength);
        WriteValue(destination[4..]);
    }

    /// <summary>The 32 value bytes as lowercase hex.</summary>
    public string ValueHex()
    {
        Span<byte> bytes = stackalloc byte[ValueLength];
        WriteValue(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public bool Equals(NodeLabel other) =>
        BitLength == other.BitLength && _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override bool Equals(object? obj) => obj is NodeLabel other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3, BitLength);

    public override string ToString() => $"({ValueHex()}, {BitLength})";

    public static bool operator ==(NodeLabel left, NodeLabel right) => left.Equals(right);

    public static bool operator !=(NodeLabel left, NodeLabel right) => !left.Equals(right);

    private ulong Word(int index) => index switch
    {
        0 => _w0,
        1 => _w1,
        2 => _w2,
        _ => _w3,
    };

    // Mask keeping the first bitLength bits of the whole 256-bit value, restricted to word `word`.
    private static ulong Mask(int bitLength, int word)
    {
        var bitsInWord = bitLength - (word * 64);
        if (bitsInWord <= 0)
        {
            return 0;
        }

        return bitsInWord >= 64 ? ulong.MaxValue : ~(ulong.MaxValue >> bitsInWord);
    }
}
