// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;

namespace Chhaya.P2p.Encoding;

/// <summary>Writes protobuf fields in the order the caller gives them (callers use field-number order).</summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void WriteVarintField(int field, ulong value)
    {
        WriteVarint(((ulong)field << 3) | 0);
        WriteVarint(value);
    }

    public void WriteBytesField(int field, ReadOnlySpan<byte> value)
    {
        WriteVarint(((ulong)field << 3) | 2);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteStringField(int field, string value) =>
        WriteBytesField(field, System.Text.Encoding.UTF8.GetBytes(value));

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(Varint.MaxLength);
        _buffer.Advance(Varint.Write(value, span));
    }
}
