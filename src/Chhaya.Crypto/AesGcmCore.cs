// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// Raw AES-GCM with an explicit 12-byte nonce and a 16-byte tag. Internal on purpose: callers outside this
/// module get only the nonce-free forms (<see cref="MessageKey"/>, <see cref="RecordSealer"/>). Exposed to the
/// tests so the Wycheproof vectors exercise exactly the code path those forms use.
/// </summary>
internal static class AesGcmCore
{
    internal const int NonceLength = 12;
    internal const int TagLength = 16;

    internal static void Encrypt(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        CheckKey(key);
        Guard.ExactLength(nonce.Length, NonceLength, nameof(nonce));
        Guard.ExactLength(destination.Length, plaintext.Length + TagLength, nameof(destination));
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination[plaintext.Length..], associatedData);
    }

    /// <summary>False (destination cleared) for a wrong-length nonce, a too-short input or a bad tag.</summary>
    internal static bool TryDecrypt(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        CheckKey(key);
        if (nonce.Length != NonceLength || ciphertext.Length < TagLength)
        {
            destination.Clear();
            return false;
        }

        var plaintextLength = ciphertext.Length - TagLength;
        Guard.ExactLength(destination.Length, plaintextLength, nameof(destination));
        using var aes = new AesGcm(key, TagLength);
        try
        {
            aes.Decrypt(nonce, ciphertext[..plaintextLength], ciphertext[plaintextLength..], destination, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException("An AES key is 16, 24 or 32 bytes.", nameof(key));
        }
    }
}
