// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.CodeAnalysis;
using Chhaya.Safety;

namespace Chhaya.Vkd.Wire;

/// <summary>
/// A strict protobuf wire-format reader over one message's bytes. It accepts only the canonical form
/// AKD's encoder writes: minimal varints, known fields in ascending field order, a field number repeated
/// only when the schema says repeated, and lengths that fit the remaining input. Anything else is
/// <see cref="MalformedInputException"/>. Being strict means every accepted byte string has exactly one
/// meaning, so changing any byte either fails here or changes what the verifier checks.
/// </summary>
internal ref struct ProtoReader
{
    public const int WireVarint = 0;
    public const int WireLengthDelimited = 2;

    private readonly ReadOnlySpan<byte> _data;
    private readonly string _message;
    private int _position;
    private int _lastField;
    private bool _lastRepeated;

    public ProtoReader(ReadOnlySpan<byte> data, string message)
    {
        _data = data;
        _message = message;
        _position = 0;
        _lastField = 0;
        _lastRepeated = false;
    }

    public readonly bool AtEnd => _position >= _data.Length;

    public readonly int Position => _position;

    /// <summary>Reads the next tag; returns false at the end of the message.</summary>
    /// <param name="field">The field number.</param>
    /// <param name="wireType">The wire type.</param>
    public bool TryReadTag(out int field, out int wireType)
    {
        if (AtEnd)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        if (tag > int.MaxValue)
        {
            Throw("tag out of range");
        }

        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field == 0)
        {
            Throw("field number 0");
        }

        return true;
    }

    /// <summary>
    /// Enforces ascending field order. <paramref name="repeated"/> says whether the schema declares the
    /// field repeated (then the same number may follow itself).
    /// </summary>
    public void CheckOrder(int field, bool repeated)
    {
        if (field < _lastField || (field == _lastField && !(repeated && _lastRepeated)))
        {
            Throw($"field {field} out of order or duplicated");
        }

        _lastField = field;
        _lastRepeated = repeated;
    }

    public void ExpectWireType(int field, int wireType, int expected)
    {
        if (wireType != expected)
        {
            Throw($"field {field} has wire type {wireType}, expected {expected}");
        }
    }

    [DoesNotReturn]
    public readonly void UnknownField(int field) => Throw($"unknown field {field}");

    /// <summary>A minimal varint of at most 10 bytes that fits 64 bits.</summary>
    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var i = 0; i < 10; i++)
        {
            if (_position >= _data.Length)
            {
                Throw("truncated varint");
            }

            var b = _data[_position++];
            if (i == 9 && b > 1)
            {
                Throw("varint overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    Throw("non-minimal varint");
                }

                return result;
            }
        }

        Throw("varint longer than 10 bytes");
        return 0;
    }

    public uint ReadUInt32()
    {
        var value = ReadVarint();
        if (value > uint.MaxValue)
        {
            Throw("uint32 field out of range");
        }

        return (uint)value;
    }

    /// <summary>A length-delimited field's content, with the length bounded by the remaining input and by <paramref name="maxLength"/>.</summary>
    public ReadOnlySpan<byte> ReadBytes(int maxLength)
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            Throw("length runs past the end of the message");
        }

        if (length > (ulong)maxLength)
        {
            Throw($"field of {length} bytes is over the limit of {maxLength}");
        }

        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    [DoesNotReturn]
    public readonly void Throw(string reason) => throw new MalformedInputException($"{_message}: {reason} (at byte {_position}).");
}
