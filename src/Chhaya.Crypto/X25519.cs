// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;
using Chhaya.Crypto.Edwards;

namespace Chhaya.Crypto;

/// <summary>
/// X25519 Diffie–Hellman (RFC 7748) on Chhaya's own constant-time Montgomery ladder (agreement) and
/// fixed-base comb (public keys).
/// </summary>
/// <remarks>
/// A peer's public key is 32 arbitrary bytes: RFC 7748 §5 masks the top bit and accepts non-canonical
/// u-coordinates and points on the twist. What this class refuses is an <b>all-zero shared secret</b>
/// (RFC 7748 §6.1): it is what every low-order public key (and only those) yields after clamping, and it
/// would let a malicious peer force a known key. <see cref="Agree"/> throws and <see cref="TryAgree"/>
/// returns false in that case.
/// </remarks>
public static class X25519
{
    /// <summary>Length of private keys, public keys and shared secrets.</summary>
    public const int KeyLength = 32;

    /// <summary>A fresh private key from the system CSPRNG (clamping happens inside every scalar multiplication).</summary>
    public static SecretBytes GeneratePrivateKey() => SecretBytes.Random(KeyLength);

    /// <summary>The public key of <paramref name="privateKey"/>.</summary>
    public static byte[] PublicKey(SecretBytes privateKey)
    {
        var publicKey = new byte[KeyLength];
        PublicKey(privateKey, publicKey);
        return publicKey;
    }

    /// <summary>Writes the public key of <paramref name="privateKey"/> into a 32-byte destination.</summary>
    public static void PublicKey(SecretBytes privateKey, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        Guard.ExactLength(privateKey.Length, KeyLength, nameof(privateKey));
        Guard.ExactLength(destination.Length, KeyLength, nameof(destination));
        MontgomeryLadder.ScalarMultBase(privateKey.ReadOnlySpan, destination);
    }

    /// <summary>
    /// Computes the shared secret with <paramref name="peerPublicKey"/> into <paramref name="sharedSecret"/>.
    /// Returns false, and leaves the destination zeroed, when the peer key is low-order (the secret would be all zero)
    /// or not 32 bytes long.
    /// </summary>
    public static bool TryAgree(SecretBytes privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        Guard.ExactLength(privateKey.Length, KeyLength, nameof(privateKey));
        Guard.ExactLength(sharedSecret.Length, KeyLength, nameof(sharedSecret));
        if (peerPublicKey.Length != KeyLength)
        {
            sharedSecret.Clear();
            return false;
        }

        MontgomeryLadder.ScalarMult(privateKey.ReadOnlySpan, peerPublicKey, sharedSecret);
        Span<byte> zero = stackalloc byte[KeyLength];
        zero.Clear();
        if (ConstantTime.Equals(sharedSecret, zero))
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            return false;
        }

        return true;
    }

    /// <summary>The shared secret with <paramref name="peerPublicKey"/>, as a new secret the caller disposes.</summary>
    /// <exception cref="CryptographicException">The peer key is low-order: the shared secret would be all zero.</exception>
    /// <exception cref="MalformedInputException">The peer key is not 32 bytes long.</exception>
    public static SecretBytes Agree(SecretBytes privateKey, ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != KeyLength)
        {
            throw new MalformedInputException($"An X25519 public key is {KeyLength} bytes, not {peerPublicKey.Length}.");
        }

        var shared = SecretBytes.Allocate(KeyLength);
        if (!TryAgree(privateKey, peerPublicKey, shared.Span))
        {
            shared.Dispose();
            throw new CryptographicException("X25519 peer public key has low order: the shared secret is all zero.");
        }

        return shared;
    }
}
