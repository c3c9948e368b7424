// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.P2p.Encoding;

namespace Chhaya.P2p.Yamux;

/// <summary>Yamux frame types (hashicorp/yamux <c>spec.md</c>, "Type Field").</summary>
public enum YamuxFrameType : byte
{
    Data = 0,
    WindowUpdate = 1,
    Ping = 2,
    GoAway = 3,
}

/// <summary>Yamux flags ("Flag Field").</summary>
[Flags]
public enum YamuxFlagBits : ushort
{
    None = 0,
    Syn = 1,
    Ack = 2,
    Fin = 4,
    Rst = 8,
}

/// <summary>
/// The 12-byte Yamux header, all fields big-endian: version (1 byte, always 0), type (1), flags (2),
/// stream id (4), length (4). Length is the data size for Data frames, the window delta for WindowUpdate,
/// an opaque value for Ping and the error code for GoAway.
/// </summary>
public readonly record struct YamuxHeader(YamuxFrameType Type, YamuxFlagBits Flags, uint StreamId, uint Length)
{
    public const int Size = 12;

    public void Write(Span<byte> destination)
    {
        destination[0] = 0;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>Decodes a header; unknown versions, types and flag bits are malformed.</summary>
    internal static DecodeStatus TryRead(ReadOnlySpan<byte> input, out YamuxHeader header)
    {
        header = default;
        if (input.Length < Size)
        {
            return DecodeStatus.NeedMoreData;
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(input[2..]);
        if (input[0] != 0 || input[1] > 3 || (flags & ~0xF) != 0)
        {
            return DecodeStatus.Malformed;
        }

        header = new YamuxHeader(
            (YamuxFrameType)input[1],
            (YamuxFlagBits)flags,
            BinaryPrimitives.ReadUInt32BigEndian(input[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(input[8..]));
        return DecodeStatus.Done;
    }
}
