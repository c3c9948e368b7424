// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Sealed;

/// <summary>
/// The only sizes a sealed envelope may have on the wire. Every envelope is padded (inside its encryption) to the
/// smallest bucket that fits, so an observer learns the bucket, never the length. An envelope of any other size
/// is refused before decryption.
/// </summary>
public static class PaddingBuckets
{
    /// <summary>
    /// Envelope sizes in bytes: 512 B, 1 KiB, 4 KiB, 16 KiB, 64 KiB. The smallest is 512 rather than 256 because a
    /// real message could never fill a 256-byte envelope (envelope, certificate and ratchet overheads come to about
    /// 345 bytes), so only cover traffic would ever use it and it would give cover away.
    /// </summary>
    public static IReadOnlyList<int> Sizes { get; } = [512, 1024, 4 * 1024, 16 * 1024, 64 * 1024];

    /// <summary>The largest envelope.</summary>
    public static int Largest => Sizes[^1];

    /// <summary>The smallest bucket of at least <paramref name="envelopeLength"/> bytes, or -1 when none is.</summary>
    public static int BucketFor(int envelopeLength)
    {
        foreach (var size in Sizes)
        {
            if (envelopeLength <= size)
            {
                return size;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="length"/> is exactly one of the bucket sizes.</summary>
    public static bool IsBucket(int length)
    {
        foreach (var size in Sizes)
        {
            if (length == size)
            {
                return true;
            }
        }

        return false;
    }
}
