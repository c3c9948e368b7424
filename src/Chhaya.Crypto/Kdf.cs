// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// HKDF-SHA-256 (RFC 5869) over spans, and a labelled form whose <c>info</c> is a Chhaya domain tag
/// followed by an optional context.
/// </summary>
public static class Kdf
{
    /// <summary>Largest output HKDF-SHA-256 can produce: 255 blocks of 32 bytes (RFC 5869 §2.3).</summary>
    public const int MaxOutputLength = 255 * Hashing.Sha256Length;

    /// <summary>Longest context appended to a label; contexts are transcript hashes or ids, never bulk data.</summary>
    public const int MaxContextLength = 4096;

    /// <summary>HKDF-Extract: a 32-byte pseudorandom key from input keying material and a salt.</summary>
    public static void Extract(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, Span<byte> pseudoRandomKey)
    {
        Guard.ExactLength(pseudoRandomKey.Length, Hashing.Sha256Length, nameof(pseudoRandomKey));
        HKDF.Extract(HashAlgorithmName.SHA256, inputKeyMaterial, salt, pseudoRandomKey);
    }

    /// <summary>HKDF-Expand: fills <paramref name="output"/> (1..8160 bytes) from a pseudorandom key and info.</summary>
    /// <exception cref="ArgumentException">The output length is 0 or over 8160, or the key is shorter than 32 bytes.</exception>
    public static void Expand(ReadOnlySpan<byte> pseudoRandomKey, ReadOnlySpan<byte> info, Span<byte> output)
    {
        CheckOutputLength(output.Length);
        if (pseudoRandomKey.Length < Hashing.Sha256Length)
        {
            throw new ArgumentException("The pseudorandom key must be at least 32 bytes.", nameof(pseudoRandomKey));
        }

        HKDF.Expand(HashAlgorithmName.SHA256, pseudoRandomKey, output, info);
    }

    /// <summary>HKDF (extract then expand) into <paramref name="output"/> (1..8160 bytes).</summary>
    /// <exception cref="ArgumentException">The output length is 0 or over 8160.</exception>
    public static void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        CheckOutputLength(output.Length);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKeyMaterial, output, salt, info);
    }

    /// <summary>
    /// HKDF with <c>info = label ‖ 0x00 ‖ context</c>, where <paramref name="label"/> is a domain tag
    /// (see <see cref="DomainTags"/>). The zero byte ends the label, so no context can extend it into another label.
    /// </summary>
    public static void DeriveLabeled(
        ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, string label, ReadOnlySpan<byte> context, Span<byte> output)
    {
        Guard.MaxLength(context.Length, MaxContextLength, nameof(context));
        Span<byte> info = stackalloc byte[Hashing.MaxTagLength + 1 + MaxContextLength];
        var labelLength = DomainTags.Encode(label, info);
        info[labelLength] = 0;
        context.CopyTo(info[(labelLength + 1)..]);
        DeriveKey(inputKeyMaterial, salt, info[..(labelLength + 1 + context.Length)], output);
    }

    /// <summary>Labelled HKDF returning a new secret of <paramref name="length"/> bytes.</summary>
    public static SecretBytes DeriveLabeled(
        ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, string label, ReadOnlySpan<byte> context, int length)
    {
        CheckOutputLength(length);
        var secret = SecretBytes.Allocate(length);
        try
        {
            DeriveLabeled(inputKeyMaterial, salt, label, context, secret.Span);
            return secret;
        }
        catch
        {
            secret.Dispose();
            throw;
        }
    }

    private static void CheckOutputLength(int length)
    {
        if (length < 1 || length > MaxOutputLength)
        {
            throw new ArgumentException($"HKDF-SHA-256 output must be 1..{MaxOutputLength} bytes, not {length}.", nameof(length));
        }
    }
}
