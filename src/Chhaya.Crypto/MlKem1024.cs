// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Safety;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Chhaya.Crypto;

/// <summary>
/// ML-KEM-1024 (FIPS 203) on BouncyCastle: key generation (random or from a 64-byte seed d ‖ z),
/// encapsulation and decapsulation, with every length and the FIPS 203 §7.2 / §7.3 input checks enforced
/// before any work.
/// </summary>
/// <remarks>
/// Decapsulation of a well-formed but wrong ciphertext does not fail: FIPS 203 implicit rejection returns a
/// pseudorandom key J(z ‖ c), so a tampered ciphertext shows up as a key mismatch later (e.g. an AEAD that
/// does not open), never as an oracle. BouncyCastle keeps its own copies of key arrays inside its
/// parameter objects; those copies are short-lived but cannot be wiped by this class.
/// </remarks>
public static class MlKem1024
{
    /// <summary>Encapsulation (public) key length.</summary>
    public const int EncapsulationKeyLength = 1568;

    /// <summary>Expanded decapsulation (secret) key length.</summary>
    public const int DecapsulationKeyLength = 3168;

    /// <summary>Ciphertext length.</summary>
    public const int CiphertextLength = 1568;

    /// <summary>Shared secret length.</summary>
    public const int SharedSecretLength = 32;

    /// <summary>Key-generation seed length (d ‖ z, FIPS 203 §7.1).</summary>
    public const int SeedLength = 64;

    private static MLKemParameters Parameters => MLKemParameters.ml_kem_1024;

    /// <summary>A fresh key pair from a random seed.</summary>
    public static MlKem1024KeyPair GenerateKeyPair()
    {
        using var seed = SecretBytes.Random(SeedLength);
        return FromSeed(seed);
    }

    /// <summary>ML-KEM.KeyGen_internal(d, z) for <paramref name="seed"/> = d ‖ z (64 bytes). The seed stays the caller's.</summary>
    public static MlKem1024KeyPair FromSeed(SecretBytes seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        Guard.ExactLength(seed.Length, SeedLength, nameof(seed));
        var seedCopy = seed.ReadOnlySpan.ToArray();
        byte[]? encoded = null;
        try
        {
            var privateKey = MLKemPrivateKeyParameters.FromSeed(Parameters, seedCopy);
            encoded = privateKey.GetEncoded();
            return new MlKem1024KeyPair(privateKey.GetPublicKeyEncoded(), SecretBytes.CopyFrom(encoded), SecretBytes.CopyFrom(seedCopy));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seedCopy);
            if (encoded is not null)
            {
                CryptographicOperations.ZeroMemory(encoded);
            }
        }
    }

    /// <summary>
    /// True when <paramref name="encapsulationKey"/> is 1568 bytes and passes the FIPS 203 §7.2 modulus check
    /// (every coefficient below q).
    /// </summary>
    public static bool IsValidEncapsulationKey(ReadOnlySpan<byte> encapsulationKey) => TryParsePublic(encapsulationKey, out _);

    /// <summary>
    /// True when <paramref name="decapsulationKey"/> is 3168 bytes and passes the FIPS 203 §7.3 hash check
    /// (the embedded H(ek) matches the embedded ek).
    /// </summary>
    public static bool IsValidDecapsulationKey(ReadOnlySpan<byte> decapsulationKey) => TryParsePrivate(decapsulationKey, out _);

    /// <summary>Encapsulates to <paramref name="encapsulationKey"/>: writes the 1568-byte ciphertext and returns the shared secret.</summary>
    /// <exception cref="MalformedInputException">The key has the wrong length or fails the modulus check.</exception>
    public static SecretBytes Encapsulate(ReadOnlySpan<byte> encapsulationKey, Span<byte> ciphertext) =>
        Encapsulate(encapsulationKey, ciphertext, random: null);

    /// <summary>
    /// ML-KEM.Encaps_internal with fixed randomness m (32 bytes). For known-answer tests only: reusing m
    /// reuses the shared secret.
    /// </summary>
    internal static SecretBytes EncapsulateDeterministic(ReadOnlySpan<byte> encapsulationKey, ReadOnlySpan<byte> m, Span<byte> ciphertext)
    {
        Guard.ExactLength(m.Length, 32, nameof(m));
        return Encapsulate(encapsulationKey, ciphertext, new SecureRandom(new FixedRandomGenerator(m.ToArray())));
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

        if (!TryParsePrivate(decapsulationKey.ReadOnlySpan, out var privateKey))
        {
            throw new ArgumentException("The ML-KEM-1024 decapsulation key is malformed (length or hash check).", nameof(decapsulationKey));
        }

        var decapsulator = new MLKemDecapsulator(Parameters);
        decapsulator.Init(privateKey);
        var secret = SecretBytes.Allocate(SharedSecretLength);
        decapsulator.Decapsulate(ciphertext, secret.Span);
        return secret;
    }

    private static SecretBytes Encapsulate(ReadOnlySpan<byte> encapsulationKey, Span<byte> ciphertext, SecureRandom? random)
    {
        Guard.ExactLength(ciphertext.Length, CiphertextLength, nameof(ciphertext));
        if (!TryParsePublic(encapsulationKey, out var publicKey))
        {
            throw new MalformedInputException("The ML-KEM-1024 encapsulation key is malformed (length or modulus check).");
        }

        var encapsulator = new MLKemEncapsulator(Parameters);
        encapsulator.Init(random is null ? publicKey : new ParametersWithRandom(publicKey, random));
        var secret = SecretBytes.Allocate(SharedSecretLength);
        encapsulator.Encapsulate(ciphertext, secret.Span);
        return secret;
    }

    private static bool TryParsePublic(ReadOnlySpan<byte> encoding, out MLKemPublicKeyParameters publicKey)
    {
        publicKey = null!;
        if (encoding.Length != EncapsulationKeyLength)
        {
            return false;
        }

        try
        {
            publicKey = MLKemPublicKeyParameters.FromEncoding(Parameters, encoding.ToArray());
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool TryParsePrivate(ReadOnlySpan<byte> encoding, out MLKemPrivateKeyParameters privateKey)
    {
        privateKey = null!;
        if (encoding.Length != DecapsulationKeyLength)
        {
            return false;
        }

        var copy = encoding.ToArray();
        try
        {
            privateKey = MLKemPrivateKeyParameters.FromEncoding(Parameters, copy);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }
}
