// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.Api;

/// <summary>Compares byte arrays by content, for de-duplicating keys and roots read from the history.</summary>
internal sealed class ByteArrayComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteArrayComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
