// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// Ed25519 signatures (RFC 8032, pure variant) on Chhaya's own edwards25519 arithmetic, with <b>strict</b>
/// verification. Signing is constant time in the seed (fixed-base comb with masked table reads).
/// </summary>
/// <remarks>
/// Verification follows RFC 8032 §5.1.7 with every optional strictness check turned on, the rule Chhaya
/// needs because a directory's signed epoch heads and a witness's evidence must be unambiguous:
/// <list type="bullet">
/// <item>the signature is exactly 64 bytes and the public key exactly 32;</item>
/// <item>S is canonical: 0 ≤ S &lt; L (no malleable second signature from S + L);</item>
/// <item>A and R are canonical encodings: y &lt; p, and x = 0 with the sign bit set is refused;</item>
/// <item>A is not of small order (a small-order key "signs" many messages with one signature);</item>
/// <item>the cofactorless equation [S]B = R + [k]A is checked by re-encoding, as RFC 8032 specifies.</item>
/// </list>
/// This is not ZIP-215 (which accepts non-canonical encodings and uses the cofactored equation for
/// consensus between implementations): Chhaya never needs to agree with a lax verifier, and any
/// signature Chhaya accepts is also accepted by every RFC 8032 and ZIP-215 verifier.
/// </remarks>
public static class Ed25519
{
    /// <summary>Length of the secret seed (RFC 8032's private key).</summary>
    public const int SeedLength = 32;

    /// <summary>Length of a public key.</summary>
    public const int PublicKeyLength = 32;

    /// <summary>Length of a signature (R ‖ S).</summary>
    public const int SignatureLength = 64;

    /// <summary>A fresh 32-byte seed from the system CSPRNG.</summary>
    public static SecretBytes GenerateSeed() => SecretBytes.Random(SeedLength);

    /// <summary>The public key of <paramref name="seed"/>.</summary>
    public static byte[] PublicKey(SecretBytes seed)
    {
        var publicKey = new byte[PublicKeyLength];
        PublicKey(seed, publicKey);
        return publicKey;
    }

    /// <summary>Writes the public key of <paramref name="seed"/> into a 32-byte destination.</summary>
    public static void PublicKey(SecretBytes seed, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Guard.ExactLength(seed.Length, SeedLength, nameof(seed));
        Guard.ExactLength(destination.Length, PublicKeyLength, nameof(destination));
        Span<byte> expanded = stackalloc byte[64];
        try
        {
            Ed25519Core.Expand(seed.ReadOnlySpan, expanded);
            Ed25519Core.PublicKey(expanded, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
        }
    }

    /// <summary>Signs <paramref name="message"/> with <paramref name="seed"/> into a 64-byte destination.</summary>
    public static void Sign(SecretBytes seed, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Guard.ExactLength(seed.Length, SeedLength, nameof(seed));
        Guard.ExactLength(signature.Length, SignatureLength, nameof(signature));
        Span<byte> expanded = stackalloc byte[64];
        try
        {
            Ed25519Core.Expand(seed.ReadOnlySpan, expanded);
            Ed25519Core.Sign(expanded, [], message, signature);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
        }
    }

    /// <summary>
    /// Signs with a public key the caller already holds. The public key must be the one derived from
    /// <paramref name="seed"/>: RFC 8032 implementations that sign with a mismatched key can leak the secret,
    /// so it is re-derived (alongside R, sharing one inversion) and compared; a mismatch throws.
    /// </summary>
    public static void Sign(SecretBytes seed, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Guard.ExactLength(seed.Length, SeedLength, nameof(seed));
        Guard.ExactLength(publicKey.Length, PublicKeyLength, nameof(publicKey));
        Guard.ExactLength(signature.Length, SignatureLength, nameof(signature));
        Span<byte> expanded = stackalloc byte[64];
        try
        {
            Ed25519Core.Expand(seed.ReadOnlySpan, expanded);
            if (!Ed25519Core.Sign(expanded, publicKey, message, signature))
            {
                throw new ArgumentException("The public key does not belong to the seed.", nameof(publicKey));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
        }
    }

    /// <summary>A new 64-byte signature of <paramref name="message"/>.</summary>
    public static byte[] Sign(SecretBytes seed, ReadOnlySpan<byte> message)
    {
        var signature = new byte[SignatureLength];
        Sign(seed, message, signature);
        return signature;
    }

    /// <summary>
    /// Strict verification (see the class remarks). Any malformed input — wrong lengths, non-canonical
    /// encodings, S ≥ L, a small-order key — is simply an invalid signature: returns false, never throws.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeyLength || signature.Length != SignatureLength)
        {
            return false;
        }

        if (!Ed25519Encoding.IsCanonicalPoint(publicKey) || !Ed25519Encoding.IsCanonicalPoint(signature[..32])
            || !Ed25519Encoding.IsCanonicalScalar(signature[32..]) || Ed25519Encoding.IsSmallOrderEncoding(publicKey))
        {
            return false;
        }

        return Ed25519Core.Verify(publicKey, message, signature);
    }
}
