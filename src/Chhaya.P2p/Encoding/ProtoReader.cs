// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;

namespace Chhaya.P2p.Encoding;

/// <summary>
/// A small protobuf (proto2/proto3 wire format) reader for the few libp2p messages: varint and
/// length-delimited fields only, every length checked against the remaining input before slicing,
/// and groups and fixed-width fields rejected as this code never expects them. It never allocates.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly bool End => _pos >= _data.Length;

    /// <summary>Reads the next field key.</summary>
    /// <exception cref="MalformedInputException">A bad varint, field number 0, or an unsupported wire type.</exception>
    public (int Field, int WireType) ReadKey()
    {
        var key = ReadVarint();
        var field = key >> 3;
        var wire = (int)(key & 7);
        if (field == 0 || field > 536_870_911)
        {
            throw new MalformedInputException($"protobuf field number {field} is invalid");
        }

        if (wire is not (0 or 1 or 2 or 5))
        {
            throw new MalformedInputException($"protobuf wire type {wire} is not supported");
        }

        return ((int)field, wire);
    }

    public ulong ReadVarint()
    {
        var status = Varint.TryRead(_data[_pos..], out var value, out var consumed);
        if (status != DecodeStatus.Done)
        {
            // Protobuf allows 10-byte varints for negative int64; no libp2p field we read uses them.
            throw new MalformedInputException("protobuf varint is truncated, too long or not minimal");
        }

        _pos += consumed;
        return value;
    }

    /// <summary>Reads a length-delimited field body, bounded by the remaining input.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _pos))
        {
            throw new MalformedInputException($"protobuf field length {length} runs past the end of the message");
        }

        var slice = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return slice;
    }

    /// <summary>Skips a field of the given wire type (unknown fields are allowed by protobuf).</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw new MalformedInputException($"protobuf wire type {wireType} is not supported");
        }
    }

    /// <summary>Checks the wire type of a known field.</summary>
    public static void Expect(int wireType, int expected, int field)
    {
        if (wireType != expected)
        {
            throw new MalformedInputException($"protobuf field {field} has wire type {wireType}, expected {expected}");
        }
    }

    private void Advance(int n)
    {
        if (_data.Length - _pos < n)
        {
            throw new MalformedInputException("protobuf fixed-width field runs past the end of the message");
        }

        _pos += n;
    }
}
