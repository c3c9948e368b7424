// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Chhaya.Safety;

namespace Chhaya.Messaging.Wire;

/// <summary>
/// A bounded big-endian reader over untrusted bytes. Every read checks the remaining length first and every
/// variable-length field has a caller-given cap, so nothing is allocated on the input's say-so. Any violation
/// throws <see cref="MalformedInputException"/> naming the field.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _input;
    private int _position;

    public WireReader(ReadOnlySpan<byte> input)
    {
        _input = input;
        _position = 0;
    }

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => _input.Length - _position;

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    public byte ReadByte(string field) => Take(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64BigEndian(Take(8, field));

    public long ReadInt64(string field) => BinaryPrimitives.ReadInt64BigEndian(Take(8, field));

    /// <summary>A boolean encoded as exactly 0 or 1; any other byte is refused (one encoding per value).</summary>
    public bool ReadFlag(string field) => ReadByte(field) switch
    {
        0 => false,
        1 => true,
        var b => Fail<bool>($"{field} must be 0 or 1, not {b}"),
    };

    /// <summary>Exactly <paramref name="length"/> bytes, as a view into the input.</summary>
    public ReadOnlySpan<byte> ReadFixed(int length, string field) => Take(length, field);

    /// <summary>A u16-length-prefixed field of at most <paramref name="maxLength"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadPrefixed16(int maxLength, string field)
    {
        var length = ReadUInt16(field);
        if (length > maxLength)
        {
            Fail<int>($"{field} is {length} bytes, over its limit of {maxLength}");
        }

        return Take(length, field);
    }

    /// <summary>A u32-length-prefixed field of at most <paramref name="maxLength"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadPrefixed32(int maxLength, string field)
    {
        var length = ReadUInt32(field);
        if (length > (uint)maxLength)
        {
            Fail<int>($"{field} is {length} bytes, over its limit of {maxLength}");
        }

        return Take((int)length, field);
    }

    /// <summary>The rest of the input.</summary>
    public ReadOnlySpan<byte> ReadRest()
    {
        var rest = _input[_position..];
        _position = _input.Length;
        return rest;
    }

    /// <summary>Refuses trailing bytes: every accepted encoding is exactly as long as its content.</summary>
    public readonly void EnsureEnd(string what)
    {
        if (_position != _input.Length)
        {
            Fail<int>($"{what} has {_input.Length - _position} trailing bytes");
        }
    }

    private ReadOnlySpan<byte> Take(int length, string field)
    {
        if (length < 0 || length > _input.Length - _position)
        {
            Fail<int>($"{field} is truncated: needs {length} bytes, {_input.Length - _position} left");
        }

        var slice = _input.Slice(_position, length);
        _position += length;
        return slice;
    }

    [DoesNotReturn]
    public static T Fail<T>(string message) => throw new MalformedInputException(message + ".");
}
