// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using BcChaCha20Poly1305 = Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305;

namespace Chhaya.Crypto;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) with an explicit 12-byte nonce, for protocols that define their own nonce
/// schedule (libp2p Noise: 4 zero bytes ‖ 64-bit little-endian counter). Output is ciphertext ‖ 16-byte tag.
/// </summary>
/// <remarks>
/// <para>Runs on the platform's OpenSSL through <see cref="System.Security.Cryptography.ChaCha20Poly1305"/> where
/// it is available (Linux with OpenSSL 1.1+, Windows 10+), and on BouncyCastle's implementation elsewhere;
/// both give identical bytes (the tests run both against RFC 8439).</para>
/// The caller owns nonce uniqueness: never encrypt twice under one (key, nonce). Prefer
/// <see cref="MessageAead"/> or <see cref="RecordSealer"/>, which make reuse impossible, unless a wire
/// protocol fixes the nonce.
/// </remarks>
public static class ChaCha20Poly1305Aead
{
    /// <summary>Key length in bytes.</summary>
    public const int KeyLength = 32;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceLength = 12;

    /// <summary>Authentication tag length in bytes.</summary>
    public const int TagLength = 16;

    /// <summary>Largest plaintext accepted (RFC 8439 allows ~256 GiB; one call never needs more than this).</summary>
    public const int MaxPlaintextLength = int.MaxValue - TagLength;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="destination"/>, which must be exactly
    /// <c>plaintext.Length + 16</c> bytes. The spans must not overlap.
    /// </summary>
    public static void Encrypt(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination) =>
        Encrypt(PlatformSupported, key, nonce, plaintext, associatedData, destination);

    internal static void Encrypt(
        bool usePlatform, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        Guard.ExactLength(key.Length, KeyLength, nameof(key));
        Guard.ExactLength(nonce.Length, NonceLength, nameof(nonce));
        Guard.MaxLength(plaintext.Length, MaxPlaintextLength, nameof(plaintext));
        Guard.ExactLength(destination.Length, plaintext.Length + TagLength, nameof(destination));
        if (usePlatform)
        {
            using var platform = new System.Security.Cryptography.ChaCha20Poly1305(key);
            platform.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination[plaintext.Length..], associatedData);
            return;
        }

        var cipher = Create(forEncryption: true, key, nonce, associatedData);
        var written = cipher.ProcessBytes(plaintext, destination);
        cipher.DoFinal(destination[written..]);
    }

    /// <summary>
    /// Decrypts and authenticates <paramref name="ciphertext"/> (ciphertext ‖ tag) into <paramref name="destination"/>,
    /// which must be exactly <c>ciphertext.Length − 16</c> bytes. Returns false, and clears the destination,
    /// when the input is shorter than a tag or does not authenticate.
    /// </summary>
    public static bool TryDecrypt(
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> destination) =>
        TryDecrypt(PlatformSupported, key, nonce, ciphertext, associatedData, destination);

    internal static bool TryDecrypt(
        bool usePlatform, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        Guard.ExactLength(key.Length, KeyLength, nameof(key));
        Guard.ExactLength(nonce.Length, NonceLength, nameof(nonce));
        if (ciphertext.Length < TagLength)
        {
            return false;
        }

        Guard.ExactLength(destination.Length, ciphertext.Length - TagLength, nameof(destination));
        if (usePlatform)
        {
            using var platform = new System.Security.Cryptography.ChaCha20Poly1305(key);
            var split = ciphertext.Length - TagLength;
            try
            {
                platform.Decrypt(nonce, ciphertext[..split], ciphertext[split..], destination, associatedData);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                // The platform already cleared the destination.
                return false;
            }
        }

        var cipher = Create(forEncryption: false, key, nonce, associatedData);
        try
        {
            // BouncyCastle buffers the last 16 bytes as the tag and releases plaintext only after DoFinal checks it.
            var written = cipher.ProcessBytes(ciphertext, destination);
            cipher.DoFinal(destination[written..]);
            return true;
        }
        catch (InvalidCipherTextException)
        {
            destination.Clear();
            return false;
        }
    }

    /// <summary>Encrypts into a new array (ciphertext ‖ tag).</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        Guard.MaxLength(plaintext.Length, MaxPlaintextLength, nameof(plaintext));
        var output = new byte[plaintext.Length + TagLength];
        Encrypt(key, nonce, plaintext, associatedData, output);
        return output;
    }

    /// <summary>Decrypts into a new array, or returns null when the input does not authenticate.</summary>
    public static byte[]? Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> associatedData)
    {
        if (ciphertext.Length < TagLength)
        {
            return null;
        }

        var output = new byte[ciphertext.Length - TagLength];
        return TryDecrypt(key, nonce, ciphertext, associatedData, output) ? output : null;
    }

    /// <summary>Whether the OpenSSL-backed implementation is available (and used).</summary>
    internal static bool PlatformSupported { get; } = System.Security.Cryptography.ChaCha20Poly1305.IsSupported;

    private static BcChaCha20Poly1305 Create(bool forEncryption, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData)
    {
        var cipher = new BcChaCha20Poly1305();
        cipher.Init(forEncryption, new AeadParameters(new KeyParameter(key), TagLength * 8, nonce.ToArray()));
        cipher.ProcessAadBytes(associatedData);
        return cipher;
    }
}
