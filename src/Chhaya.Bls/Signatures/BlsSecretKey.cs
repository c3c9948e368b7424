// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Chhaya.Bls.Curves;
using Chhaya.Bls.HashToCurve;
using Chhaya.Safety;

namespace Chhaya.Bls;

/// <summary>
/// A BLS secret key: a scalar SK with 0 &lt; SK &lt; r, held in <see cref="SecretBytes"/> (32 bytes,
/// big-endian) and wiped on <see cref="Dispose"/>. Signing multiplies in constant time.
/// </summary>
public sealed class BlsSecretKey : IDisposable
{
    /// <summary>Size of the serialized secret key.</summary>
    public const int Length = Scalars.ByteLength;

    /// <summary>The shortest input keying material KeyGen accepts (draft section 2.3).</summary>
    public const int MinIkmLength = 32;

    private static readonly byte[] KeyGenSalt = Encoding.ASCII.GetBytes("BLS-SIG-KEYGEN-SALT-");

    private readonly SecretBytes _secret;
    private BlsPublicKey? _publicKey;

    private BlsSecretKey(SecretBytes secret) => _secret = secret;

    /// <summary>SkToPk: the public key SK·G1, computed once.</summary>
    public BlsPublicKey PublicKey => _publicKey ??= new BlsPublicKey(MultiplyConstantTime(G1.Generator));

    /// <summary>
    /// KeyGen of draft-irtf-cfrg-bls-signature-05 section 2.3: HKDF-SHA-256 over IKM with a salt that is
    /// re-hashed until the derived scalar is non-zero.
    /// </summary>
    /// <exception cref="ArgumentException">IKM is shorter than 32 bytes.</exception>
    public static BlsSecretKey KeyGen(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> keyInfo = default)
    {
        if (ikm.Length < MinIkmLength)
        {
            throw new ArgumentException($"KeyGen needs at least {MinIkmLength} bytes of input keying material.", nameof(ikm));
        }

        const int L = 48;
        var ikmZero = new byte[ikm.Length + 1];
        var info = new byte[keyInfo.Length + 2];
        keyInfo.CopyTo(info);
        BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(keyInfo.Length), L);
        Span<byte> salt = stackalloc byte[32];
        Span<byte> prk = stackalloc byte[32];
        Span<byte> okm = stackalloc byte[L];
        Span<ulong> limbs = stackalloc ulong[4];
        try
        {
            ikm.CopyTo(ikmZero);
            SHA256.HashData(KeyGenSalt, salt);
            while (true)
            {
                HKDF.Extract(HashAlgorithmName.SHA256, ikmZero, salt, prk);
                HKDF.Expand(HashAlgorithmName.SHA256, prk, okm, info);
                Scalars.ReduceBigEndian(okm, limbs);
                if ((limbs[0] | limbs[1] | limbs[2] | limbs[3]) != 0)
                {
                    var secret = SecretBytes.Allocate(Length);
                    Scalars.ToBytes(limbs, secret.Span);
                    return new BlsSecretKey(secret);
                }

                // Probability about 2^-255; the draft re-hashes the salt and tries again.
                SHA256.HashData(salt, salt);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikmZero);
            CryptographicOperations.ZeroMemory(prk);
            CryptographicOperations.ZeroMemory(okm);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(limbs));
        }
    }

    /// <summary>A fresh key from 32 bytes of the system CSPRNG run through KeyGen.</summary>
    public static BlsSecretKey Generate()
    {
        using var ikm = SecretBytes.Random(MinIkmLength);
        return KeyGen(ikm.ReadOnlySpan);
    }

    /// <summary>Loads a 32-byte big-endian secret key.</summary>
    /// <exception cref="MalformedInputException">The length is wrong, or the scalar is 0 or not below r.</exception>
    public static BlsSecretKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new MalformedInputException($"A BLS secret key is {Length} bytes, not {bytes.Length}.");
        }

        Span<ulong> limbs = stackalloc ulong[4];
        try
        {
            Scalars.ToLimbs(bytes, limbs);
            if (Scalars.IsValidSecretMask(limbs) == 0)
            {
                throw new MalformedInputException("A BLS secret key must be a scalar between 1 and r - 1.");
            }

            return new BlsSecretKey(SecretBytes.CopyFrom(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(limbs));
        }
    }

    /// <summary>Writes the 32-byte secret key; the caller owns and must wipe the copy.</summary>
    public void ExportTo(Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, Length);
        _secret.ReadOnlySpan.CopyTo(destination);
    }

    /// <summary>Sign (draft section 2.6 / 3.1): SK · hash_to_point(message) with the signature DST.</summary>
    public BlsSignature Sign(ReadOnlySpan<byte> message) =>
        new(MultiplyConstantTime(Hasher.HashToG2(message, Ciphersuite.SignatureDstBytes)));

    /// <summary>PopProve (draft section 3.3.2): SK · hash_to_point(SkToPk(SK)) with the proof-of-possession DST.</summary>
    public BlsSignature ProvePossession() =>
        new(MultiplyConstantTime(Hasher.HashToG2(PublicKey.Bytes, Ciphersuite.PopDstBytes)));

    public void Dispose() => _secret.Dispose();

    public override string ToString() => "BlsSecretKey(hidden)";

    private G1Projective MultiplyConstantTime(in G1Projective point)
    {
        Span<ulong> limbs = stackalloc ulong[4];
        try
        {
            Scalars.ToLimbs(_secret.ReadOnlySpan, limbs);
            // The point is the G1 generator, so the φ-based method applies.
            return G1Glv.MulConstantTime(point, limbs);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(limbs));
        }
    }

    private G2Projective MultiplyConstantTime(in G2Projective point)
    {
        Span<ulong> limbs = stackalloc ulong[4];
        try
        {
            Scalars.ToLimbs(_secret.ReadOnlySpan, limbs);
            // The point is a hash_to_G2 output, so it lies in G2 and the ψ-based method applies.
            return G2Gls.MulConstantTime(point, limbs);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(limbs));
        }
    }
}
