// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Crypto.Edwards;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381, suite_string 0x03): a verifiable random function whose key pair
/// is an Ed25519 key pair. Runs on this module's own edwards25519 arithmetic.
/// </summary>
/// <remarks>
/// <para>Formats: public key 32 bytes (RFC 8032 point encoding), proof π = Γ (32) ‖ c (16, little-endian)
/// ‖ s (32, little-endian) = 80 bytes, output β = 64 bytes.</para>
/// <para>Verification is strict: Y and Γ must be canonical encodings of curve points, s must be below L, and
/// the public key must pass ECVRF_validate_key (RFC 9381 §5.4.5: not of small order), which gives the
/// "full uniqueness" and "full collision resistance" of §3. Every rejection is a plain <c>false</c>.</para>
/// <para>Proving uses the secret scalar and nonce only through constant-time scalar multiplication and
/// constant-time arithmetic mod L; the nonce is derived deterministically as RFC 9381 §5.4.2.2 specifies.</para>
/// </remarks>
public static class EcVrf
{
    /// <summary>Secret key length (an RFC 8032 seed).</summary>
    public const int SecretKeyLength = 32;

    /// <summary>Public key length.</summary>
    public const int PublicKeyLength = 32;

    /// <summary>Proof length: Γ ‖ c ‖ s.</summary>
    public const int ProofLength = 80;

    /// <summary>VRF output (β) length.</summary>
    public const int OutputLength = 64;

    /// <summary>Largest input α accepted; directory labels and versions are far smaller.</summary>
    public const int MaxAlphaLength = 64 * 1024;

    internal const byte SuiteString = 0x03;
    private const int ChallengeLength = 16;

    /// <summary>The public key Y = x·B of <paramref name="secretKey"/>; identical to the Ed25519 public key.</summary>
    public static byte[] PublicKey(SecretBytes secretKey)
    {
        var pk = new byte[PublicKeyLength];
        PublicKey(secretKey, pk);
        return pk;
    }

    /// <summary>Writes the public key of <paramref name="secretKey"/> into a 32-byte destination.</summary>
    public static void PublicKey(SecretBytes secretKey, Span<byte> destination)
    {
        CheckSecretKey(secretKey);
        Guard.ExactLength(destination.Length, PublicKeyLength, nameof(destination));
        Span<byte> expanded = stackalloc byte[64];
        try
        {
            ExpandSecret(secretKey.ReadOnlySpan, expanded);
            EdwardsPoint.ScalarMulBase(expanded[..32]).Encode(destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
        }
    }

    /// <summary>ECVRF_prove (RFC 9381 §5.1): the 80-byte proof for <paramref name="alpha"/>.</summary>
    public static byte[] Prove(SecretBytes secretKey, ReadOnlySpan<byte> alpha)
    {
        var proof = new byte[ProofLength];
        Prove(secretKey, alpha, proof);
        return proof;
    }

    /// <summary>ECVRF_prove (RFC 9381 §5.1) into an 80-byte destination.</summary>
    /// <exception cref="CryptographicException">No counter in 0..255 maps α to a point (probability about 2^−256).</exception>
    public static void Prove(SecretBytes secretKey, ReadOnlySpan<byte> alpha, Span<byte> proof)
    {
        CheckSecretKey(secretKey);
        Guard.MaxLength(alpha.Length, MaxAlphaLength, nameof(alpha));
        Guard.ExactLength(proof.Length, ProofLength, nameof(proof));

        Span<byte> expanded = stackalloc byte[64];
        Span<byte> nonceHash = stackalloc byte[64];
        Span<byte> k = stackalloc byte[32];
        Span<byte> pk = stackalloc byte[32];
        Span<byte> h = stackalloc byte[32];
        try
        {
            // Steps 1–2: x from the secret key (RFC 8032 §5.1.5), Y = x·B.
            ExpandSecret(secretKey.ReadOnlySpan, expanded);
            var x = expanded[..32];
            EdwardsPoint.ScalarMulBase(x).Encode(pk);

            // Steps 3–4: H = encode_to_curve(Y, α), h_string = point_to_string(H).
            if (!TryEncodeToCurve(pk, alpha, out var hPoint, out _))
            {
                throw new CryptographicException("ECVRF try-and-increment found no curve point for this input.");
            }

            hPoint.Encode(h);

            // Step 5: Γ = x·H.
            var gamma = EdwardsPoint.ScalarMul(x, hPoint);

            // Step 6: k = SHA-512(hash(sk)[32..64] ‖ h_string) mod L (RFC 9381 §5.4.2.2).
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512))
            {
                sha.AppendData(expanded[32..]);
                sha.AppendData(h);
                sha.GetHashAndReset(nonceHash);
            }

            Scalar.Reduce512(nonceHash, k);

            // Step 7: c = challenge(Y, H, Γ, k·B, k·H).
            var u = EdwardsPoint.ScalarMulBase(k);
            var v = EdwardsPoint.ScalarMul(k, hPoint);
            gamma.Encode(proof[..32]);
            Span<byte> c = stackalloc byte[32];
            c.Clear();
            Challenge(pk, h, proof[..32], u, v, c[..ChallengeLength]);

            // Steps 8–9: s = (k + c·x) mod L; π = Γ ‖ c ‖ s.
            c[..ChallengeLength].CopyTo(proof[32..48]);
            Scalar.MulAdd(c, x, k, proof[48..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
            CryptographicOperations.ZeroMemory(nonceHash);
            CryptographicOperations.ZeroMemory(k);
        }
    }

    /// <summary>
    /// ECVRF_verify (RFC 9381 §5.3) with key validation (§5.4.5). On success writes β (64 bytes) to
    /// <paramref name="betaOut"/> and returns true; on any failure returns false and clears it.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, ReadOnlySpan<byte> proof, Span<byte> betaOut)
    {
        Guard.ExactLength(betaOut.Length, OutputLength, nameof(betaOut));
        betaOut.Clear();
        if (publicKey.Length != PublicKeyLength || proof.Length != ProofLength || alpha.Length > MaxAlphaLength)
        {
            return false;
        }

        // Steps 1–3: decode and validate Y.
        if (!EdwardsPoint.TryDecode(publicKey, out var y) || y.IsSmallOrder())
        {
            return false;
        }

        // Step 4: decode π (Γ a valid point, s < L).
        if (!TryDecodeProof(proof, out var gamma, out var c, out var s))
        {
            return false;
        }

        // Step 6: H = encode_to_curve(Y, α).
        if (!TryEncodeToCurve(publicKey, alpha, out var hPoint, out _))
        {
            return false;
        }

        // Steps 7–8: U = s·B − c·Y, V = s·H − c·Γ. All inputs are public, so variable time is fine here.
        var u = EdwardsPoint.DoubleScalarMulBaseVartime(c, EdwardsPoint.Negate(y), s);
        var v = EdwardsPoint.DoubleScalarMulVartime(s, hPoint, c, EdwardsPoint.Negate(gamma));

        // Steps 9–10: c' = challenge(Y, H, Γ, U, V); valid iff c = c'.
        Span<byte> h = stackalloc byte[32];
        hPoint.Encode(h);
        Span<byte> expected = stackalloc byte[ChallengeLength];
        Challenge(publicKey, h, proof[..32], u, v, expected);
        if (!ConstantTime.Equals(expected, proof[32..48]))
        {
            return false;
        }

        GammaToHash(gamma, betaOut);
        return true;
    }

    /// <summary>Verifies and returns β, or null when the proof does not verify.</summary>
    public static byte[]? Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, ReadOnlySpan<byte> proof)
    {
        var beta = new byte[OutputLength];
        return Verify(publicKey, alpha, proof, beta) ? beta : null;
    }

    /// <summary>
    /// ECVRF_proof_to_hash (RFC 9381 §5.2): β from π alone, without verifying it. Only use β of a proof that
    /// <see cref="Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> accepted.
    /// Returns false (destination cleared) when π does not decode.
    /// </summary>
    public static bool TryProofToHash(ReadOnlySpan<byte> proof, Span<byte> betaOut)
    {
        Guard.ExactLength(betaOut.Length, OutputLength, nameof(betaOut));
        betaOut.Clear();
        if (proof.Length != ProofLength || !TryDecodeProof(proof, out var gamma, out _, out _))
        {
            return false;
        }

        GammaToHash(gamma, betaOut);
        return true;
    }

    /// <summary>True when <paramref name="publicKey"/> decodes strictly and is not of small order (§5.4.5).</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == PublicKeyLength && EdwardsPoint.TryDecode(publicKey, out var y) && !y.IsSmallOrder();

    /// <summary>
    /// ECVRF_encode_to_curve_try_and_increment (RFC 9381 §5.4.1.1) with encode_to_curve_salt = PK_string:
    /// H = 8·string_to_point(SHA-512(0x03 ‖ 0x01 ‖ pk ‖ α ‖ ctr ‖ 0x00)[0..32]) for the first ctr that decodes.
    /// </summary>
    internal static bool TryEncodeToCurve(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, out EdwardsPoint point, out int counter)
    {
        Span<byte> prefix = [SuiteString, 0x01];
        Span<byte> digest = stackalloc byte[64];
        Span<byte> tail = stackalloc byte[2];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        for (counter = 0; counter < 256; counter++)
        {
            sha.AppendData(prefix);
            sha.AppendData(publicKey);
            sha.AppendData(alpha);
            tail[0] = (byte)counter;
            tail[1] = 0x00;
            sha.AppendData(tail);
            sha.GetHashAndReset(digest);
            if (EdwardsPoint.TryDecode(digest[..32], out var candidate))
            {
                point = EdwardsPoint.MulByCofactor(candidate);
                return true;
            }
        }

        point = EdwardsPoint.Identity;
        return false;
    }

    /// <summary>ECVRF_challenge_generation (§5.4.3): the first 16 bytes of SHA-512(0x03 ‖ 0x02 ‖ Y ‖ H ‖ Γ ‖ U ‖ V ‖ 0x00).</summary>
    private static void Challenge(
        ReadOnlySpan<byte> pk, ReadOnlySpan<byte> h, ReadOnlySpan<byte> gamma, in EdwardsPoint u, in EdwardsPoint v, Span<byte> c)
    {
        Span<byte> buffer = stackalloc byte[2 + (5 * 32) + 1];
        buffer[0] = SuiteString;
        buffer[1] = 0x02;
        pk.CopyTo(buffer[2..]);
        h.CopyTo(buffer[34..]);
        gamma.CopyTo(buffer[66..]);
        u.Encode(buffer.Slice(98, 32));
        v.Encode(buffer.Slice(130, 32));
        buffer[162] = 0x00;
        Span<byte> digest = stackalloc byte[64];
        SHA512.HashData(buffer, digest);
        digest[..ChallengeLength].CopyTo(c);
    }

    /// <summary>β = SHA-512(0x03 ‖ 0x03 ‖ point_to_string(8·Γ) ‖ 0x00) (§5.2).</summary>
    private static void GammaToHash(in EdwardsPoint gamma, Span<byte> beta)
    {
        Span<byte> buffer = stackalloc byte[2 + 32 + 1];
        buffer[0] = SuiteString;
        buffer[1] = 0x03;
        EdwardsPoint.MulByCofactor(gamma).Encode(buffer.Slice(2, 32));
        buffer[34] = 0x00;
        SHA512.HashData(buffer, beta);
    }

    /// <summary>ECVRF_decode_proof (§5.4.4): Γ strictly decoded, c (16 bytes, padded to 32), s &lt; L.</summary>
    private static bool TryDecodeProof(ReadOnlySpan<byte> proof, out EdwardsPoint gamma, out byte[] c, out byte[] s)
    {
        c = new byte[32];
        s = proof[48..80].ToArray();
        if (!EdwardsPoint.TryDecode(proof[..32], out gamma) || !Scalar.IsCanonical(s))
        {
            return false;
        }

        proof[32..48].CopyTo(c);
        return true;
    }

    /// <summary>SHA-512 of the seed, with the low half clamped into the secret scalar (RFC 8032 §5.1.5).</summary>
    internal static void ExpandSecret(ReadOnlySpan<byte> secretKey, Span<byte> expanded)
    {
        SHA512.HashData(secretKey, expanded);
        expanded[0] &= 248;
        expanded[31] &= 127;
        expanded[31] |= 64;
    }

    private static void CheckSecretKey(SecretBytes secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        Guard.ExactLength(secretKey.Length, SecretKeyLength, nameof(secretKey));
    }
}
