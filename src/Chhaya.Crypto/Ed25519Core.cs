// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using System.Security.Cryptography;
using Chhaya.Crypto.Edwards;

namespace Chhaya.Crypto;

/// <summary>
/// RFC 8032 §5.1.5–§5.1.7 (pure Ed25519) on Chhaya's edwards25519 arithmetic. <see cref="Ed25519"/> does
/// the argument checks and the byte-level strictness checks; this class does the curve work.
/// </summary>
internal static class Ed25519Core
{
    /// <summary>Messages up to this size are hashed from a stack buffer; longer ones from a pooled array.</summary>
    private const int StackHashLimit = 1024;

    /// <summary>SHA-512(seed) with the first half clamped into the secret scalar s (§5.1.5 steps 1–3); the second half is the nonce prefix.</summary>
    public static void Expand(ReadOnlySpan<byte> seed, Span<byte> expanded)
    {
        SHA512.HashData(seed, expanded);
        MontgomeryLadder.Clamp(expanded[..32]);
    }

    /// <summary>A = [s]B, encoded (§5.1.5 step 4), by the constant-time fixed-base comb.</summary>
    public static void PublicKey(ReadOnlySpan<byte> expanded, Span<byte> publicKey) =>
        EdwardsPoint.ScalarMulBase(expanded[..32]).Encode(publicKey);

    /// <summary>
    /// §5.1.6: r = SHA-512(prefix ‖ M) mod L, R = [r]B, k = SHA-512(R ‖ A ‖ M) mod L, S = (r + k·s) mod L,
    /// with the public key A = [s]B derived here (§5.1.5 step 4) rather than trusted: R and A are encoded
    /// with one shared inversion. When <paramref name="expectedPublicKey"/> is not empty and differs from A,
    /// nothing is written and the result is false (signing with a mismatched key can leak the secret).
    /// </summary>
    public static bool Sign(ReadOnlySpan<byte> expanded, ReadOnlySpan<byte> expectedPublicKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        Span<byte> digest = stackalloc byte[64];
        Span<byte> r = stackalloc byte[32];
        Span<byte> encodedR = stackalloc byte[32];
        Span<byte> publicKey = stackalloc byte[32];
        Span<byte> k = stackalloc byte[32];
        Span<byte> s = stackalloc byte[32];
        try
        {
            Hash(expanded[32..], [], message, digest);
            Scalar.Reduce512(digest, r);
            EdwardsPoint.EncodeBoth(EdwardsPoint.ScalarMulBase(expanded[..32]), EdwardsPoint.ScalarMulBase(r), publicKey, encodedR);
            if (!expectedPublicKey.IsEmpty && !publicKey.SequenceEqual(expectedPublicKey))
            {
                return false;
            }

            Hash(encodedR, publicKey, message, digest);
            Scalar.Reduce512(digest, k);
            Scalar.MulAdd(k, expanded[..32], r, s);

            // Written last: the message may share memory with the destination.
            encodedR.CopyTo(signature);
            s.CopyTo(signature[32..]);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(digest);
            CryptographicOperations.ZeroMemory(r);
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(s);
        }
    }

    /// <summary>
    /// §5.1.7 after the byte checks: decode A strictly, k = SHA-512(R ‖ A ‖ M) mod L, and accept iff the
    /// encoding of [S]B − [k]A equals the 32 bytes of R (the cofactorless equation, checked by re-encoding).
    /// All inputs are public, so the double multiplication runs in variable time.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (!EdwardsPoint.TryDecode(publicKey, out var a))
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[64];
        Span<byte> k = stackalloc byte[32];
        Hash(signature[..32], publicKey, message, digest);
        Scalar.Reduce512(digest, k);
        var check = EdwardsPoint.DoubleScalarMulBaseVartime(k, EdwardsPoint.Negate(a), signature[32..]);
        Span<byte> encoded = stackalloc byte[32];
        check.Encode(encoded);
        return encoded.SequenceEqual(signature[..32]);
    }

    /// <summary>SHA-512(first ‖ second ‖ message) without allocating for short messages; the buffer is wiped (it may hold the nonce prefix).</summary>
    private static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> message, Span<byte> digest)
    {
        var length = first.Length + second.Length + message.Length;
        byte[]? rented = null;
        var buffer = length <= StackHashLimit ? stackalloc byte[StackHashLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        buffer = buffer[..length];
        try
        {
            first.CopyTo(buffer);
            second.CopyTo(buffer[first.Length..]);
            message.CopyTo(buffer[(first.Length + second.Length)..]);
            SHA512.HashData(buffer, digest);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
