// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Crypto.MlKem;
using Chhaya.Safety;

namespace Chhaya.Crypto;

/// <summary>
/// ML-KEM-1024 (FIPS 203) on Chhaya's own code (<see cref="MlKemCore"/>): key generation (random or from a 64-byte
/// seed d ‖ z), encapsulation and decapsulation, with every length and the FIPS 203 §7.2 / §7.3 input checks
/// enforced before any work.
/// </summary>
/// <remarks>
/// Decapsulation of a well-formed but wrong ciphertext does not fail: FIPS 203 implicit rejection returns a
/// pseudorandom key J(z ‖ c), chosen in constant time, so a tampered ciphertext shows up as a key mismatch later
/// (e.g. an AEAD that does not open), never as an oracle. Every intermediate secret lives in stack buffers that
/// are wiped before return; the only heap copies are the returned <see cref="SecretBytes"/>.
/// </remarks>
public static class MlKem1024
{
    /// <summary>Encapsulation (public) key length.</summary>
    public const int EncapsulationKeyLength = MlKemCore.EncapsulationKeyLength;

    /// <summary>Expanded decapsulation (secret) key length.</summary>
    public const int DecapsulationKeyLength = MlKemCore.DecapsulationKeyLength;

    /// <summary>Ciphertext length.</summary>
    public const int CiphertextLength = MlKemCore.CiphertextLength;

    /// <summary>Shared secret length.</summary>
    public const int SharedSecretLength = MlKemCore.SharedSecretLength;

    /// <summary>Key-generation seed length (d ‖ z, FIPS 203 §7.1).</summary>
    public const int SeedLength = 64;

    /// <summary>A fresh key pair from a random seed.</summary>
    public static MlKem1024KeyPair GenerateKeyPair()
    {
        using var seed = SecretBytes.Random(SeedLength);
        return FromSeed(seed);
    }

    /// <summary>ML-KEM.KeyGen_internal(d, z) for <paramref name="seed"/> = d ‖ z (64 bytes). The seed stays the caller's.</summary>
    /// <exception cref="ArgumentException">The seed is not 64 bytes.</exception>
    public static MlKem1024KeyPair FromSeed(SecretBytes seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Guard.ExactLength(seed.Length, SeedLength, nameof(seed));
        var encapsulationKey = new byte[EncapsulationKeyLength];
        var decapsulationKey = SecretBytes.Allocate(DecapsulationKeyLength);
        var seedSpan = seed.ReadOnlySpan;
        MlKemCore.KeyGen(seedSpan[..32], seedSpan[32..], encapsulationKey, decapsulationKey.Span);
        return new MlKem1024KeyPair(encapsulationKey, decapsulationKey, SecretBytes.CopyFrom(seedSpan));
    }

    /// <summary>
    /// True when <paramref name="encapsulationKey"/> is 1568 bytes and passes the FIPS 203 §7.2 modulus check
    /// (every coefficient below q).
    /// </summary>
    public static bool IsValidEncapsulationKey(ReadOnlySpan<byte> encapsulationKey) => MlKemCore.IsValidEncapsulationKey(encapsulationKey);

    /// <summary>
    /// True when <paramref name="decapsulationKey"/> is 3168 bytes and passes the FIPS 203 §7.3 hash check
    /// (the embedded H(ek) matches the embedded ek).
    /// </summary>
    public static bool IsValidDecapsulationKey(ReadOnlySpan<byte> decapsulationKey) => MlKemCore.IsValidDecapsulationKey(decapsulationKey);

    /// <summary>Encapsulates to <paramref name="encapsulationKey"/>: writes the 1568-byte ciphertext and returns the shared secret.</summary>
    /// <exception cref="MalformedInputException">The key has the wrong length or fails the modulus check.</exception>
    public static SecretBytes Encapsulate(ReadOnlySpan<byte> encapsulationKey, Span<byte> ciphertext)
    {
        Span<byte> m = stackalloc byte[32];
        RandomNumberGenerator.Fill(m);
        try
        {
            return EncapsulateDeterministic(encapsulationKey, m, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(m);
        }
    }

    /// <summary>
    /// ML-KEM.Encaps_internal with fixed randomness m (32 bytes). For known-answer tests only: reusing m
    /// reuses the shared secret.
    /// </summary>
    internal static SecretBytes EncapsulateDeterministic(ReadOnlySpan<byte> encapsulationKey, ReadOnlySpan<byte> m, Span<byte> ciphertext)
    {
        Guard.ExactLength(m.Length, 32, nameof(m));
        Guard.ExactLength(ciphertext.Length, CiphertextLength, nameof(ciphertext));
        if (!MlKemCore.IsValidEncapsulationKey(encapsulationKey))
        {
            throw new MalformedInputException("The ML-KEM-1024 encapsulation key is malformed (length or modulus check).");
        }

        var secret = SecretBytes.Allocate(SharedSecretLength);
        MlKemCore.Encapsulate(encapsulationKey, m, ciphertext, secret.Span);
        return secret;
    }

    /// <summary>Decapsulates <paramref name="ciphertext"/> with an expanded decapsulation key (implicit rejection on tampering).</summary>
    /// <exception cref="MalformedInputException">The ciphertext is not 1568 bytes.</exception>
    /// <exception cref="ArgumentException">The key is not 3168 bytes or fails the FIPS 203 §7.3 hash check.</exception>
    public static SecretBytes Decapsulate(SecretBytes decapsulationKey, ReadOnlySpan<byte> ciphertext)
    {
        ArgumentNullException.ThrowIfNull(decapsulationKey);
        if (ciphertext.Length != CiphertextLength)
        {
            throw new MalformedInputException($"An ML-KEM-1024 ciphertext is {CiphertextLength} bytes, not {ciphertext.Length}.");
        }

        if (!MlKemCore.IsValidDecapsulationKey(decapsulationKey.ReadOnlySpan))
        {
            throw new ArgumentException("The ML-KEM-1024 decapsulation key is malformed (length or hash check).", nameof(decapsulationKey));
        }

        var secret = SecretBytes.Allocate(SharedSecretLength);
        MlKemCore.Decapsulate(decapsulationKey.ReadOnlySpan, ciphertext, secret.Span);
        return secret;
    }
}
