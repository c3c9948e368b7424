// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using System.Buffers.Binary;
using Chhaya.P2p.Encoding;

namespace Chhaya.P2p.Noise;

/// <summary>
/// libp2p Noise framing (noise spec, "Wire Format"): every handshake and transport message is preceded by a
/// 2-byte big-endian length, so no message exceeds 65535 bytes including its 16-byte tag.
/// </summary>
internal static class NoiseFrame
{
    public const int HeaderSize = 2;
    public const int MaxMessage = 65535;
    public const int MaxPlaintext = MaxMessage - NoiseCipherState.TagSize;

    /// <summary>Finds the next whole frame body in <paramref name="input"/>.</summary>
    public static DecodeStatus TryRead(in ReadOnlySequence<byte> input, out ReadOnlySequence<byte> body, out SequencePosition next)
    {
        body = default;
        next = input.Start;
        if (input.Length < HeaderSize)
        {
            return DecodeStatus.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        input.Slice(0, HeaderSize).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header);
        if (input.Length < HeaderSize + length)
        {
            return DecodeStatus.NeedMoreData;
        }

        body = input.Slice(HeaderSize, length);
        next = body.End;
        return DecodeStatus.Done;
    }
}
