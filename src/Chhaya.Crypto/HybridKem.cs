// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;
using Chhaya.Crypto.MlKem;
using Chhaya.Safety;

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

    private static readonly byte[] LabelBytes = Encoding.ASCII.GetBytes(Label);

    /// <summary>A fresh random secret key (32-byte seed).</summary>
    public static SecretBytes GenerateSecretKey() => SecretBytes.Random(SecretKeyLength);

    /// <summary>The 1600-byte public key of <paramref name="secretKey"/>.</summary>
    public static byte[] PublicKey(SecretBytes secretKey)
    {
        using var pair = HybridKemKeyPair.FromSecretKey(secretKey);
        return pair.PublicKey.ToArray();
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

    /// <summary>
    /// Decapsulates <paramref name="ciphertext"/> with <paramref name="secretKey"/>. Expands the key on every call;
    /// a receiver that decapsulates often keeps a <see cref="HybridKemKeyPair"/> instead.
    /// </summary>
    /// <exception cref="MalformedInputException">The ciphertext has the wrong length or its X25519 share has low order.</exception>
    public static SecretBytes Decapsulate(SecretBytes secretKey, ReadOnlySpan<byte> ciphertext)
    {
        using var pair = HybridKemKeyPair.FromSecretKey(secretKey);
        return pair.Decapsulate(ciphertext);
    }

    /// <summary>The decapsulation itself, for an expanded key.</summary>
    internal static SecretBytes Decapsulate(MlKem1024KeyPair mlKem, SecretBytes x25519, ReadOnlySpan<byte> publicKeyX, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length != CiphertextLength)
        {
            throw new MalformedInputException($"A hybrid KEM ciphertext is {CiphertextLength} bytes, not {ciphertext.Length}.");
        }

        var ctM = ciphertext[..MlKem1024.CiphertextLength];
        var ctX = ciphertext[MlKem1024.CiphertextLength..];
        Span<byte> ssX = stackalloc byte[X25519.KeyLength];
        try
        {
            if (!X25519.TryAgree(x25519, ctX, ssX))
            {
                throw new MalformedInputException("The hybrid KEM ciphertext's X25519 share has low order.");
            }

            using var ssM = mlKem.Decapsulate(ctM);
            return Combine(ssM.ReadOnlySpan, ssX, ctX, publicKeyX, ctM, mlKem.EncapsulationKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ssX);
        }
    }

    private static SecretBytes Combine(
        ReadOnlySpan<byte> ssM, ReadOnlySpan<byte> ssX, ReadOnlySpan<byte> ctX, ReadOnlySpan<byte> pkX, ReadOnlySpan<byte> ctM, ReadOnlySpan<byte> pkM)
    {
        Span<byte> mlKemBinding = stackalloc byte[32];
        KeccakSponge.Sha3_256(ctM, pkM, mlKemBinding);

        var outer = KeccakSponge.Sha3_256();
        outer.Absorb(ssM);
        outer.Absorb(ssX);
        outer.Absorb(ctX);
        outer.Absorb(pkX);
        outer.Absorb(mlKemBinding);
        outer.Absorb(LabelBytes);
        var shared = SecretBytes.Allocate(SharedSecretLength);
        outer.Squeeze(shared.Span);
        outer.Clear();
        return shared;
    }

    /// <summary>SHAKE-256(seed, 96) split into the ML-KEM key pair and the X25519 private key.</summary>
    internal static SecretBytes Expand(SecretBytes secretKey, out MlKem1024KeyPair mlKem, out SecretBytes x25519)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        Guard.ExactLength(secretKey.Length, SecretKeyLength, nameof(secretKey));
        var expanded = SecretBytes.Allocate(96);
        KeccakSponge.Shake256(secretKey.ReadOnlySpan, default, expanded.Span);
        using var mlKemSeed = SecretBytes.CopyFrom(expanded.ReadOnlySpan[..64]);
        mlKem = MlKem1024.FromSeed(mlKemSeed);
        x25519 = SecretBytes.CopyFrom(expanded.ReadOnlySpan[64..]);
        return expanded;
    }
}
