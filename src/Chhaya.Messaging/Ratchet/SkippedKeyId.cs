// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Safety;

namespace Chhaya.Messaging.Ratchet;

/// <summary>The index of a skipped message key: the sender's ratchet public key and the message number.</summary>
internal readonly record struct SkippedKeyId(UInt128 High, UInt128 Low, uint Number)
{
    public static SkippedKeyId Of(ReadOnlySpan<byte> ratchetKey, uint number) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(ratchetKey), BinaryPrimitives.ReadUInt128BigEndian(ratchetKey[16..]), number);

    public void WriteKey(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt128BigEndian(destination, High);
        BinaryPrimitives.WriteUInt128BigEndian(destination[16..], Low);
    }
}

/// <summary>A skipped message key and when it was stored (Unix ms), so it can expire.</summary>
internal sealed class SkippedKey(SecretBytes key, long storedAtUnixMs) : IDisposable
{
    public SecretBytes Key { get; } = key;

    public long StoredAtUnixMs { get; } = storedAtUnixMs;

    public void Dispose() => Key.Dispose();
}
