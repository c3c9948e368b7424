// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Storage;

namespace Chhaya.Witness.Storage;

/// <summary>
/// The fixed byte layout of a tree node's state in the database:
/// <c>flags[1] ‖ hash[32] ‖ u64be birth ‖ u64be last ‖ u64be min_descendant ‖ left[36]? ‖ right[36]?</c>,
/// where flags bit 0 = leaf, bit 1 = has left child, bit 2 = has right child, and labels use AKD's
/// <c>u32be(bit length) ‖ value[32]</c>. Rows read back are checked like any other input.
/// </summary>
internal static class StoredNodeCodec
{
    private const byte Leaf = 1;
    private const byte HasLeft = 2;
    private const byte HasRight = 4;
    private const int FixedLength = 1 + Digest.Length + 24;

    public static byte[] EncodeLabel(NodeLabel label)
    {
        var bytes = new byte[NodeLabel.SerializedLength];
        label.WriteSerialized(bytes);
        return bytes;
    }

    /// <exception cref="MalformedInputException">The bytes are not a serialized label.</exception>
    public static NodeLabel DecodeLabel(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != NodeLabel.SerializedLength)
        {
            throw new MalformedInputException($"A stored node label is {bytes.Length} bytes; expected {NodeLabel.SerializedLength}.");
        }

        var bits = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (bits > NodeLabel.MaxBits)
        {
            throw new MalformedInputException($"A stored node label claims {bits} bits; at most {NodeLabel.MaxBits} exist.");
        }

        return new NodeLabel(bytes[4..], (int)bits);
    }

    public static byte[] EncodeState(StoredNode node)
    {
        var length = FixedLength + (node.Left is null ? 0 : NodeLabel.SerializedLength) + (node.Right is null ? 0 : NodeLabel.SerializedLength);
        var bytes = new byte[length];
        bytes[0] = (byte)((node.IsLeaf ? Leaf : 0) | (node.Left is null ? 0 : HasLeft) | (node.Right is null ? 0 : HasRight));
        node.Hash.CopyTo(bytes.AsSpan(1, Digest.Length));
        var offset = 1 + Digest.Length;
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(offset), node.BirthEpoch);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(offset + 8), node.LastEpoch);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(offset + 16), node.MinDescendantEpoch);
        offset = FixedLength;
        if (node.Left is { } left)
        {
            left.WriteSerialized(bytes.AsSpan(offset, NodeLabel.SerializedLength));
            offset += NodeLabel.SerializedLength;
        }

        if (node.Right is { } right)
        {
            right.WriteSerialized(bytes.AsSpan(offset, NodeLabel.SerializedLength));
        }

        return bytes;
    }

    /// <exception cref="MalformedInputException">The state bytes do not follow the layout.</exception>
    public static StoredNode DecodeState(NodeLabel label, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedLength)
        {
            throw new MalformedInputException($"A stored node state is {bytes.Length} bytes; at least {FixedLength} are needed.");
        }

        var flags = bytes[0];
        if ((flags & ~(Leaf | HasLeft | HasRight)) != 0)
        {
            throw new MalformedInputException($"A stored node state has unknown flags 0x{flags:x2}.");
        }

        var expected = FixedLength + ((flags & HasLeft) != 0 ? NodeLabel.SerializedLength : 0) + ((flags & HasRight) != 0 ? NodeLabel.SerializedLength : 0);
        if (bytes.Length != expected)
        {
            throw new MalformedInputException($"A stored node state is {bytes.Length} bytes; its flags call for {expected}.");
        }

        var hash = new Digest(bytes.Slice(1, Digest.Length));
        var offset = 1 + Digest.Length;
        var birth = BinaryPrimitives.ReadUInt64BigEndian(bytes[offset..]);
        var last = BinaryPrimitives.ReadUInt64BigEndian(bytes[(offset + 8)..]);
        var minDescendant = BinaryPrimitives.ReadUInt64BigEndian(bytes[(offset + 16)..]);
        offset = FixedLength;
        NodeLabel? left = null;
        NodeLabel? right = null;
        if ((flags & HasLeft) != 0)
        {
            left = DecodeLabel(bytes.Slice(offset, NodeLabel.SerializedLength));
            offset += NodeLabel.SerializedLength;
        }

        if ((flags & HasRight) != 0)
        {
            right = DecodeLabel(bytes.Slice(offset, NodeLabel.SerializedLength));
        }

        return new StoredNode(label, left, right, hash, (flags & Leaf) != 0, birth, last, minDescendant);
    }
}
