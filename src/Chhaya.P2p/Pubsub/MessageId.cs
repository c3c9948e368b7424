// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Pubsub;

/// <summary>
/// A message id as a dictionary key: compared by content. <see cref="HashCode"/> is seeded per process, so a
/// peer cannot choose ids that collide in our tables.
/// </summary>
public readonly struct MessageId : IEquatable<MessageId>
{
    private readonly byte[] _bytes;
    private readonly int _hash;

    public MessageId(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = bytes;
        var h = new HashCode();
        h.AddBytes(bytes);
        _hash = h.ToHashCode();
    }

    public byte[] Bytes => _bytes ?? [];

    public static bool operator ==(MessageId left, MessageId right) => left.Equals(right);

    public static bool operator !=(MessageId left, MessageId right) => !left.Equals(right);

    public bool Equals(MessageId other) => _hash == other._hash && Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is MessageId other && Equals(other);

    public override int GetHashCode() => _hash;

    public override string ToString() => Convert.ToHexString(Bytes);
}
