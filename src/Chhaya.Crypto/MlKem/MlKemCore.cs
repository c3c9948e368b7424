// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Crypto.MlKem;

/// <summary>
/// ML-KEM-1024's internal algorithms (FIPS 203 §6: KeyGen_internal, Encaps_internal, Decaps_internal, Algorithms
/// 16–18) and the input checks of §7.2 and §7.3, on spans. <see cref="MlKem1024"/> wraps them with lengths,
/// randomness and key objects.
/// </summary>
internal static class MlKemCore
{
    public const int EncapsulationKeyLength = KPke.EncryptionKeyLength; // 1568
    public const int DecapsulationKeyLength = KPke.VectorBytes + EncapsulationKeyLength + 64; // 3168
    public const int CiphertextLength = KPke.CiphertextLength; // 1568
    public const int SharedSecretLength = 32;

    private const int HashOffset = KPke.VectorBytes + EncapsulationKeyLength; // 3104: H(ek) inside dk
    private const int ZOffset = HashOffset + 32; // 3136: z inside dk

    /// <summary>Algorithm 16: ek and dk = dk_PKE ‖ ek ‖ H(ek) ‖ z from the seeds d and z (32 bytes each).</summary>
    public static void KeyGen(ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> encapsulationKey, Span<byte> decapsulationKey)
    {
        encapsulationKey = encapsulationKey[..EncapsulationKeyLength];
        decapsulationKey = decapsulationKey[..DecapsulationKeyLength];
        KPke.KeyGen(d, encapsulationKey, decapsulationKey[..KPke.VectorBytes]);
        encapsulationKey.CopyTo(decapsulationKey[KPke.VectorBytes..]);
        KeccakSponge.Sha3_256(encapsulationKey, default, decapsulationKey.Slice(HashOffset, 32));
        z[..32].CopyTo(decapsulationKey[ZOffset..]);
    }

    /// <summary>
    /// §7.2 input check: the length and the modulus check (every 12-bit coefficient of t̂ below q). ρ, the last
    /// 32 bytes, can be anything.
    /// </summary>
    public static bool IsValidEncapsulationKey(ReadOnlySpan<byte> encapsulationKey)
    {
        if (encapsulationKey.Length != EncapsulationKeyLength)
        {
            return false;
        }

        Span<short> scratch = stackalloc short[PolyArithmetic.N];
        var valid = true;
        for (var i = 0; i < KPke.K; i++)
        {
            valid &= PolyEncoding.TryDecode12(encapsulationKey.Slice(i * KPke.PolyBytes, KPke.PolyBytes), scratch);
        }

        return valid;
    }

    /// <summary>§7.3 input check: the length and the hash check H(dk[384k : 768k + 32]) = dk[768k + 32 : 768k + 64].</summary>
    public static bool IsValidDecapsulationKey(ReadOnlySpan<byte> decapsulationKey)
    {
        if (decapsulationKey.Length != DecapsulationKeyLength)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        KeccakSponge.Sha3_256(decapsulationKey[KPke.VectorBytes..HashOffset], default, hash);
        return ConstantTime.Equals(hash, decapsulationKey.Slice(HashOffset, 32));
    }

    /// <summary>
    /// Algorithm 17 with the 32-byte randomness m: (K, r) = G(m ‖ H(ek)), c = K-PKE.Encrypt(ek, m, r). The caller
    /// has checked ek (§7.2).
    /// </summary>
    public static void Encapsulate(ReadOnlySpan<byte> encapsulationKey, ReadOnlySpan<byte> m, Span<byte> ciphertext, Span<byte> sharedSecret)
    {
        Span<byte> hashEk = stackalloc byte[32];
        Span<byte> kr = stackalloc byte[64];
        try
        {
            KeccakSponge.Sha3_256(encapsulationKey, default, hashEk);
            KeccakSponge.Sha3_512(m[..32], hashEk, kr);
            KPke.Encrypt(encapsulationKey, m, kr[32..], ciphertext[..CiphertextLength]);
            kr[..32].CopyTo(sharedSecret[..SharedSecretLength]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kr);
        }
    }

    /// <summary>
    /// Algorithm 18: m' = K-PKE.Decrypt(dk_PKE, c); (K', r') = G(m' ‖ h); K̄ = J(z ‖ c); c' = K-PKE.Encrypt(ek, m', r');
    /// the result is K' when c' = c and K̄ otherwise, chosen without a branch (implicit rejection). The caller has
    /// checked the lengths and dk (§7.3).
    /// </summary>
    public static void Decapsulate(ReadOnlySpan<byte> decapsulationKey, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
    {
        var dkPke = decapsulationKey[..KPke.VectorBytes];
        var ek = decapsulationKey[KPke.VectorBytes..HashOffset];
        var h = decapsulationKey.Slice(HashOffset, 32);
        var z = decapsulationKey.Slice(ZOffset, 32);
        ciphertext = ciphertext[..CiphertextLength];

        Span<byte> message = stackalloc byte[32];
        Span<byte> kr = stackalloc byte[64];
        Span<byte> rejection = stackalloc byte[32];
        Span<byte> reencrypted = stackalloc byte[CiphertextLength];
        try
        {
            KPke.Decrypt(dkPke, ciphertext, message);
            KeccakSponge.Sha3_512(message, h, kr);
            KeccakSponge.Shake256(z, ciphertext, rejection);
            KPke.Encrypt(ek, message, kr[32..], reencrypted);
            kr[..32].CopyTo(sharedSecret[..SharedSecretLength]);
            SelectOnMismatch(ciphertext, reencrypted, sharedSecret[..SharedSecretLength], rejection);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(message);
            CryptographicOperations.ZeroMemory(kr);
            CryptographicOperations.ZeroMemory(rejection);
            CryptographicOperations.ZeroMemory(reencrypted);
        }
    }

    /// <summary>
    /// Replaces <paramref name="key"/> by <paramref name="rejection"/> when <paramref name="ciphertext"/> and
    /// <paramref name="reencrypted"/> differ anywhere, reading every byte and selecting with a mask: whether the
    /// ciphertext was valid must not show in the timing (that would be a decryption-failure oracle).
    /// Not inlined and not optimised, so the JIT cannot turn the mask into a branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    internal static void SelectOnMismatch(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> reencrypted, Span<byte> key, ReadOnlySpan<byte> rejection)
    {
        var difference = 0;
        for (var i = 0; i < ciphertext.Length; i++)
        {
            difference |= ciphertext[i] ^ reencrypted[i];
        }

        // difference in [0, 255]: (difference | −difference) has its sign bit set exactly when difference ≠ 0.
        var mask = (byte)((difference | -difference) >> 31);
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(key[i] ^ (mask & (key[i] ^ rejection[i])));
        }
    }
}
