// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;
using Chhaya.Safety;
using Org.BouncyCastle.Crypto.Digests;

namespace Chhaya.Crypto;

/// <summary>
/// Hybrid KEM X25519 + ML-KEM-1024 with an X-Wing-style combiner (draft-connolly-cfrg-xwing-kem), so the
/// shared secret stays secure while either component does.
/// </summary>
/// <remarks>
/// <para>Byte layout (docs/crypto.md has the full description):</para>
/// <list type="bullet">
/// <item>secret key: a 32-byte seed; SHAKE-256(seed, 96) = ML-KEM seed d ‖ z (64) ‖ X25519 private key (32);</item>
/// <item>public key (1600 bytes) = pk_M (1568) ‖ pk_X (32);</item>
/// <item>ciphertext (1600 bytes) = ct_M (1568) ‖ ct_X (32), ct_X an ephemeral X25519 public key;</item>
/// <item>shared secret = SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ SHA3-256(ct_M ‖ pk_M) ‖ label), label =
/// <see cref="Label"/>.</item>
/// </list>
/// <para>Differences from X-Wing, on purpose: ML-KEM-1024 instead of ML-KEM-768; the combiner also binds the
/// ML-KEM ciphertext and public key (X-Wing leaves them out, relying on ML-KEM's ciphertext binding), as
/// Chhaya's design requires both ciphertexts and both public keys to be bound; and a Chhaya label, so no
/// output can be confused with a real X-Wing secret. An X25519 share that yields the all-zero secret is
/// refused on both sides.</para>
/// </remarks>
public static class HybridKem
{
    /// <summary>Secret key (seed) length.</summary>
    public const int SecretKeyLength = 32;

    /// <summary>Public key length: ML-KEM-1024 encapsulation key ‖ X25519 public key.</summary>
    public const int PublicKeyLength = MlKem1024.EncapsulationKeyLength + X25519.KeyLength;

    /// <summary>Ciphertext length: ML-KEM-1024 ciphertext ‖ X25519 ephemeral public key.</summary>
    public const int CiphertextLength = MlKem1024.CiphertextLength + X25519.KeyLength;

    /// <summary>Shared secret length.</summary>
    public const int SharedSecretLength = 32;

    /// <summary>The combiner's domain-separation label (ASCII), hashed last as in X-Wing.</summary>
    public const string Label = DomainTags.Prefix + "hybrid-kem/x25519-mlkem1024";

    /// <summary>A fresh random secret key (32-byte seed).</summary>
    public static SecretBytes GenerateSecretKey() => SecretBytes.Random(SecretKeyLength);

    /// <summary>The 1600-byte public key of <paramref name="secretKey"/>.</summary>
    public static byte[] PublicKey(SecretBytes secretKey)
    {
        using var expanded = Expand(secretKey, out var mlKem, out var x25519);
        using (mlKem)
        using (x25519)
        {
            var pk = new byte[PublicKeyLength];
            mlKem.EncapsulationKey.CopyTo(pk);
            X25519.PublicKey(x25519, pk.AsSpan(MlKem1024.EncapsulationKeyLength));
            return pk;
        }
    }

    /// <summary>Encapsulates to <paramref name="publicKey"/>: writes the 1600-byte ciphertext and returns the shared secret.</summary>
    /// <exception cref="MalformedInputException">
    /// The public key has the wrong length, its ML-KEM part fails the modulus check, or its X25519 part has low order.
    /// </exception>
    public static SecretBytes Encapsulate(ReadOnlySpan<byte> publicKey, Span<byte> ciphertext)
    {
        using var ephemeral = X25519.GeneratePrivateKey();
        return Encapsulate(publicKey, ciphertext, ephemeral, mlKemRandomness: default);
    }

    /// <summary>Deterministic encapsulation for tests: fixed X25519 ephemeral key and ML-KEM randomness m.</summary>
    internal static SecretBytes Encapsulate(ReadOnlySpan<byte> publicKey, Span<byte> ciphertext, SecretBytes ephemeral, ReadOnlySpan<byte> mlKemRandomness)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            throw new MalformedInputException($"A hybrid KEM public key is {PublicKeyLength} bytes, not {publicKey.Length}.");
        }

        Guard.ExactLength(ciphertext.Length, CiphertextLength, nameof(ciphertext));
        var pkM = publicKey[..MlKem1024.EncapsulationKeyLength];
        var pkX = publicKey[MlKem1024.EncapsulationKeyLength..];
        var ctM = ciphertext[..MlKem1024.CiphertextLength];
        var ctX = ciphertext[MlKem1024.CiphertextLength..];

        Span<byte> ssX = stackalloc byte[X25519.KeyLength];
        try
        {
            if (!X25519.TryAgree(ephemeral, pkX, ssX))
            {
                throw new MalformedInputException("The hybrid KEM public key's X25519 part has low order.");
            }

            X25519.PublicKey(ephemeral, ctX);
            using var ssM = mlKemRandomness.IsEmpty
                ? MlKem1024.Encapsulate(pkM, ctM)
                : MlKem1024.EncapsulateDeterministic(pkM, mlKemRandomness, ctM);
            return Combine(ssM.ReadOnlySpan, ssX, ctX, pkX, ctM, pkM);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ssX);
        }
    }

    /// <summary>Decapsulates <paramref name="ciphertext"/> with <paramref name="secretKey"/>.</summary>
    /// <exception cref="MalformedInputException">The ciphertext has the wrong length or its X25519 share has low order.</exception>
    public static SecretBytes Decapsulate(SecretBytes secretKey, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length != CiphertextLength)
        {
            throw new MalformedInputException($"A hybrid KEM ciphertext is {CiphertextLength} bytes, not {ciphertext.Length}.");
        }

        var ctM = ciphertext[..MlKem1024.CiphertextLength];
        var ctX = ciphertext[MlKem1024.CiphertextLength..];
        using var expanded = Expand(secretKey, out var mlKem, out var x25519);
        using (mlKem)
        using (x25519)
        {
            Span<byte> ssX = stackalloc byte[X25519.KeyLength];
            Span<byte> pkX = stackalloc byte[X25519.KeyLength];
            try
            {
                if (!X25519.TryAgree(x25519, ctX, ssX))
                {
                    throw new MalformedInputException("The hybrid KEM ciphertext's X25519 share has low order.");
                }

                X25519.PublicKey(x25519, pkX);
                using var ssM = mlKem.Decapsulate(ctM);
                return Combine(ssM.ReadOnlySpan, ssX, ctX, pkX, ctM, mlKem.EncapsulationKey);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(ssX);
            }
        }
    }

    private static SecretBytes Combine(
        ReadOnlySpan<byte> ssM, ReadOnlySpan<byte> ssX, ReadOnlySpan<byte> ctX, ReadOnlySpan<byte> pkX, ReadOnlySpan<byte> ctM, ReadOnlySpan<byte> pkM)
    {
        Span<byte> mlKemBinding = stackalloc byte[32];
        var inner = new Sha3Digest(256);
        inner.BlockUpdate(ctM);
        inner.BlockUpdate(pkM);
        inner.DoFinal(mlKemBinding);

        var outer = new Sha3Digest(256);
        outer.BlockUpdate(ssM);
        outer.BlockUpdate(ssX);
        outer.BlockUpdate(ctX);
        outer.BlockUpdate(pkX);
        outer.BlockUpdate(mlKemBinding);
        outer.BlockUpdate(Encoding.ASCII.GetBytes(Label));
        var shared = SecretBytes.Allocate(SharedSecretLength);
        outer.DoFinal(shared.Span);
        return shared;
    }

    /// <summary>SHAKE-256(seed, 96) split into the ML-KEM key pair and the X25519 private key.</summary>
    private static SecretBytes Expand(SecretBytes secretKey, out MlKem1024KeyPair mlKem, out SecretBytes x25519)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        Guard.ExactLength(secretKey.Length, SecretKeyLength, nameof(secretKey));
        var expanded = SecretBytes.Allocate(96);
        var shake = new ShakeDigest(256);
        shake.BlockUpdate(secretKey.ReadOnlySpan);
        shake.OutputFinal(expanded.Span);
        using var mlKemSeed = SecretBytes.CopyFrom(expanded.ReadOnlySpan[..64]);
        mlKem = MlKem1024.FromSeed(mlKemSeed);
        x25519 = SecretBytes.CopyFrom(expanded.ReadOnlySpan[64..]);
        return expanded;
    }
}
