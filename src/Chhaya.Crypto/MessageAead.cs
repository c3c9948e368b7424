// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// AES-256-GCM under a one-time message key, with no nonce in the API ("HKDF-n12"): HKDF-SHA-256 with
/// info <see cref="DomainTags.AeadHkdfN12"/> expands the message key into a 32-byte AES key and a 12-byte
/// nonce. Output is ciphertext ‖ 16-byte tag.
/// </summary>
/// <remarks>
/// A message key (e.g. one Double Ratchet step's output) must encrypt one message only; then each (AES key,
/// nonce) pair is used once, because it is a function of a key that is used once. <see cref="MessageKey"/>
/// enforces that: it seals once and refuses a second time. Byte layout of the derivation:
/// <c>okm = HKDF-SHA-256(ikm = message key, salt = empty, info = "chhaya/v1/aead/aes256gcm/hkdf-n12" ‖ 0x00, L = 44)</c>;
/// AES key = okm[0..32], nonce = okm[32..44].
/// </remarks>
public static class MessageAead
{
    /// <summary>Length of a message key.</summary>
    public const int KeyLength = 32;

    /// <summary>Authentication tag length in bytes.</summary>
    public const int TagLength = 16;

    /// <summary>Largest plaintext per message; messages are padded envelopes, far below this.</summary>
    public const int MaxPlaintextLength = 16 * 1024 * 1024;

    internal const int AesKeyLength = 32;
    internal const int NonceLength = 12;

    /// <summary>
    /// Encrypts under <paramref name="messageKey"/> into a destination of <c>plaintext.Length + 16</c> bytes.
    /// Internal: the public path is <see cref="MessageKey.Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>,
    /// which guarantees the key seals once.
    /// </summary>
    internal static void Seal(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        Guard.ExactLength(messageKey.Length, KeyLength, nameof(messageKey));
        Guard.MaxLength(plaintext.Length, MaxPlaintextLength, nameof(plaintext));
        Guard.ExactLength(destination.Length, plaintext.Length + TagLength, nameof(destination));
        Span<byte> okm = stackalloc byte[AesKeyLength + NonceLength];
        try
        {
            Kdf.DeriveLabeled(messageKey, default, DomainTags.AeadHkdfN12, default, okm);
            AesGcmCore.Encrypt(okm[..AesKeyLength], okm[AesKeyLength..], plaintext, associatedData, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>
    /// Decrypts and authenticates <paramref name="ciphertext"/> (ciphertext ‖ tag) under <paramref name="messageKey"/>
    /// into a destination of <c>ciphertext.Length − 16</c> bytes. Returns false, with the destination cleared, when
    /// the input is too short, too long, or does not authenticate.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        Guard.ExactLength(messageKey.Length, KeyLength, nameof(messageKey));
        if (ciphertext.Length < TagLength || ciphertext.Length - TagLength > MaxPlaintextLength)
        {
            destination.Clear();
            return false;
        }

        var plaintextLength = ciphertext.Length - TagLength;
        Guard.ExactLength(destination.Length, plaintextLength, nameof(destination));
        Span<byte> okm = stackalloc byte[AesKeyLength + NonceLength];
        try
        {
            Kdf.DeriveLabeled(messageKey, default, DomainTags.AeadHkdfN12, default, okm);
            return AesGcmCore.TryDecrypt(okm[..AesKeyLength], okm[AesKeyLength..], ciphertext, associatedData, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>Decrypts into a new array, or returns null when the input does not authenticate.</summary>
    public static byte[]? Open(SecretBytes messageKey, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData)
    {
        ArgumentNullException.ThrowIfNull(messageKey);
        if (ciphertext.Length < TagLength || ciphertext.Length - TagLength > MaxPlaintextLength)
        {
            return null;
        }

        var output = new byte[ciphertext.Length - TagLength];
        return TryOpen(messageKey.ReadOnlySpan, ciphertext, associatedData, output) ? output : null;
    }
}
