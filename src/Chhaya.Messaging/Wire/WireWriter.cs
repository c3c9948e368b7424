// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using System.Buffers.Binary;

namespace Chhaya.Messaging.Wire;

/// <summary>
/// Builds the canonical big-endian encodings read by <see cref="WireReader"/>. Writers of secret state call
/// <see cref="Clear"/> after copying the result out, so the growable buffer does not keep key bytes.
/// </summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public WireWriter(int initialCapacity = 256)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
    }

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public WireWriter Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public WireWriter Flag(bool value) => Byte(value ? (byte)1 : (byte)0);

    public WireWriter UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public WireWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public WireWriter UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public WireWriter Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public WireWriter Fixed(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public WireWriter Prefixed16(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"A u16-prefixed field holds at most {ushort.MaxValue} bytes, not {bytes.Length}.", nameof(bytes));
        }

        UInt16((ushort)bytes.Length);
        return Fixed(bytes);
    }

    public WireWriter Prefixed32(ReadOnlySpan<byte> bytes)
    {
        UInt32((uint)bytes.Length);
        return Fixed(bytes);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>
    /// Wipes what was written (the buffer may have held secrets): <see cref="ArrayBufferWriter{T}.Clear"/> zeroes the
    /// written bytes. Writers of secrets size the initial capacity so the buffer never grows and leaves no copy behind.
    /// </summary>
    public void Clear() => _buffer.Clear();
}
