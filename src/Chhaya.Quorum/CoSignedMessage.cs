// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;

namespace Chhaya.Quorum;

/// <summary>
/// The exact bytes a witness signs for a head: the ASCII tag "chhaya/quorum/cosign/v1", a zero byte,
/// then the head's canonical bytes. The tag keeps a co-signature from being valid as any other
/// signature the same key might make.
/// </summary>
public static class CoSignedMessage
{
    /// <summary>The largest head accepted, bounding every buffer built from one.</summary>
    public const int MaxHeadLength = 4096;

    private static readonly byte[] Tag = Encoding.ASCII.GetBytes("chhaya/quorum/cosign/v1\0");

    /// <summary>Tag || head.</summary>
    /// <exception cref="ArgumentException">The head is empty or longer than <see cref="MaxHeadLength"/>.</exception>
    public static byte[] For(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty || head.Length > MaxHeadLength)
        {
            throw new ArgumentException($"A head is 1 to {MaxHeadLength} bytes, not {head.Length}.", nameof(head));
        }

        var message = new byte[Tag.Length + head.Length];
        Tag.CopyTo(message, 0);
        head.CopyTo(message.AsSpan(Tag.Length));
        return message;
    }
}
