// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// The domain-separation labels used by this module. Every derived key, nonce and tagged hash names its
/// purpose, so output produced for one protocol step can never be replayed as input to another.
/// </summary>
public static class DomainTags
{
    /// <summary>Prefix shared by every Chhaya label; a version bump changes every derived value.</summary>
    public const string Prefix = "chhaya/v1/";

    /// <summary>HKDF info for the one-time message-key AEAD (AES-256-GCM key + 12-byte nonce).</summary>
    public const string AeadHkdfN12 = Prefix + "aead/aes256gcm/hkdf-n12";

    /// <summary>HKDF info for the record-stream AEAD (AES-256-GCM key + 12-byte base nonce).</summary>
    public const string AeadRecordAead = Prefix + "aead/aes256gcm/record-stream";

    /// <summary>Tag for the VKD tree's node hashes (used by the key-directory module).</summary>
    public const string VkdNode = Prefix + "vkd/node";

    /// <summary>Tag for the VKD tree's leaf hashes (used by the key-directory module).</summary>
    public const string VkdLeaf = Prefix + "vkd/leaf";

    /// <summary>
    /// Writes the ASCII bytes of <paramref name="tag"/> into <paramref name="destination"/> and returns the count.
    /// </summary>
    /// <exception cref="ArgumentException">The tag is empty, not printable ASCII, or longer than 255 bytes.</exception>
    public static int Encode(string tag, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(tag);
        Guard.InRange(tag.Length, 1, Hashing.MaxTagLength, nameof(tag));
        foreach (var c in tag)
        {
            if (c is < (char)0x20 or > (char)0x7e)
            {
                throw new ArgumentException("Domain tags must be printable ASCII.", nameof(tag));
            }
        }

        return Encoding.ASCII.GetBytes(tag, destination);
    }
}
