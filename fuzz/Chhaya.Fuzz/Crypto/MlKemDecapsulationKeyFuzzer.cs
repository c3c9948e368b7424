// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Crypto;

/// <summary>
/// ML-KEM-1024 decapsulation keys as stored or restored bytes: the input, stretched to 3168 bytes, is tried as a
/// key as it is (usually refused by the FIPS 203 §7.3 hash check) and with its hash fixed up, so the fuzzer reaches
/// the mod-q decoding of ŝ and of the embedded ek (whose coefficients §7.3 does not bound) and the re-encryption.
/// Decapsulation must be deterministic; the only exception allowed is <see cref="ArgumentException"/> for a key
/// the hash check refuses.
/// </summary>
public sealed class MlKemDecapsulationKeyFuzzer : IFuzzer
{
    private const int EkOffset = 1536;
    private const int HashOffset = EkOffset + MlKem1024.EncapsulationKeyLength;

    public string Name => "crypto-mlkem-decapsulation-key";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        var dk = new byte[MlKem1024.DecapsulationKeyLength];
        var ct = new byte[MlKem1024.CiphertextLength];
        if (!input.IsEmpty)
        {
            for (var i = 0; i < dk.Length; i++)
            {
                dk[i] = input[i % input.Length];
                if (i < ct.Length)
                {
                    ct[i] = (byte)(input[(i * 7) % input.Length] ^ i);
                }
            }
        }

        Decapsulate(dk, ct);
        if (SHA3_256.IsSupported)
        {
            SHA3_256.HashData(dk.AsSpan(EkOffset, MlKem1024.EncapsulationKeyLength), dk.AsSpan(HashOffset, 32));
            if (!MlKem1024.IsValidDecapsulationKey(dk))
            {
                throw new InvalidOperationException("A key with a correct H(ek) failed the hash check.");
            }

            var first = Decapsulate(dk, ct) ?? throw new InvalidOperationException("A key that passes the hash check was refused.");
            var second = Decapsulate(dk, ct);
            if (second is null || !ConstantTime.Equals(first, second))
            {
                throw new InvalidOperationException("Decapsulation is not deterministic.");
            }
        }
    }

    private static byte[]? Decapsulate(byte[] dk, byte[] ct)
    {
        using var key = SecretBytes.CopyFrom(dk);
        try
        {
            using var secret = MlKem1024.Decapsulate(key, ct);
            return secret.ReadOnlySpan.ToArray();
        }
        catch (ArgumentException) when (!MlKem1024.IsValidDecapsulationKey(dk))
        {
            return null;
        }
    }
}
