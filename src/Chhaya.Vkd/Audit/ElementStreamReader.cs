// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Audit;

/// <summary>
/// Reads the top-level <c>AzksElement</c> fields of a <c>SingleAppendOnlyProof</c> from a window of a
/// seekable stream through a small private buffer, so several readers can walk the same stream at
/// different offsets. Holds one buffer, never the proof.
/// </summary>
internal sealed class ElementStreamReader
{
    /// <summary>An honest element is under 90 bytes; anything longer is refused before it is read.</summary>
    public const int MaxElementLength = 128;

    private const int MaxHeaderLength = 20;

    private readonly Stream _stream;
    private readonly long _end;
    private readonly byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;

    public ElementStreamReader(Stream stream, long start, long end, int bufferSize)
    {
        _stream = stream;
        Position = start;
        _end = end;
        _buffer = new byte[bufferSize];
        _bufferStart = start;
        _bufferLength = 0;
    }

    /// <summary>Stream offset of the next field.</summary>
    public long Position { get; private set; }

    /// <summary>Reads the next element; false at the window's end.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a canonical element field.</exception>
    public bool TryRead(out int field, out AzksElement element)
    {
        if (Position >= _end)
        {
            field = 0;
            element = null!;
            return false;
        }

        var header = Window(MaxHeaderLength);
        var reader = new ProtoReader(header, "SingleAppendOnlyProof");
        reader.TryReadTag(out field, out var wire);
        if (field is not (1 or 2))
        {
            reader.UnknownField(field);
        }

        reader.ExpectWireType(field, wire, ProtoReader.WireLengthDelimited);
        var length = reader.ReadVarint();
        if (length > MaxElementLength)
        {
            throw new MalformedInputException($"SingleAppendOnlyProof: element of {length} bytes is over {MaxElementLength} (at byte {Position}).");
        }

        var headerLength = reader.Position;
        if ((ulong)(_end - Position - headerLength) < length)
        {
            throw new MalformedInputException($"SingleAppendOnlyProof: element runs past the end (at byte {Position}).");
        }

        var body = Window(headerLength + (int)length).Slice(headerLength, (int)length);
        element = AkdProofCodec.DecodeElement(body);
        Position += headerLength + (int)length;
        return true;
    }

    // Up to `count` bytes from Position (fewer only at the window's end), refilling the buffer as needed.
    private ReadOnlySpan<byte> Window(int count)
    {
        var available = (int)Math.Min(count, _end - Position);
        var offset = Position - _bufferStart;
        if (offset < 0 || offset + available > _bufferLength)
        {
            _stream.Seek(Position, SeekOrigin.Begin);
            var want = (int)Math.Min(_buffer.Length, _end - Position);
            var filled = 0;
            while (filled < want)
            {
                var read = _stream.Read(_buffer, filled, want - filled);
                if (read == 0)
                {
                    throw new MalformedInputException("SingleAppendOnlyProof: the stream ended early.");
                }

                filled += read;
            }

            _bufferStart = Position;
            _bufferLength = filled;
            offset = 0;
        }

        return _buffer.AsSpan((int)offset, available);
    }
}
