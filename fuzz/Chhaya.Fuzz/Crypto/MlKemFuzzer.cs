// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Crypto;

/// <summary>
/// ML-KEM-1024 and hybrid-KEM inputs from the network: the input is tried as an encapsulation key, as an
/// ML-KEM ciphertext and as a hybrid ciphertext. The only exception allowed is <see cref="MalformedInputException"/>.
/// </summary>
public sealed class MlKemFuzzer : IFuzzer
{
    private static readonly MlKem1024KeyPair Pair = CreatePair();
    private static readonly SecretBytes HybridKey = SecretBytes.CopyFrom(new byte[HybridKem.SecretKeyLength]);

    public string Name => "crypto-mlkem-decode";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        // Stretch short inputs to the fixed sizes so the fuzzer reaches the modulus and decapsulation code.
        var ek = Stretch(input, MlKem1024.EncapsulationKeyLength);
        Span<byte> ct = new byte[MlKem1024.CiphertextLength];
        try
        {
            using var secret = MlKem1024.Encapsulate(ek, ct);
            if (!MlKem1024.IsValidEncapsulationKey(ek))
            {
                throw new InvalidOperationException("Encapsulation succeeded on a key the validity check refuses.");
            }
        }
        catch (MalformedInputException)
        {
        }

        TryDecapsulate(input);
        TryDecapsulate(Stretch(input, MlKem1024.CiphertextLength));
        TryHybrid(input);
        TryHybrid(Stretch(input, HybridKem.CiphertextLength));
    }

    private static void TryDecapsulate(ReadOnlySpan<byte> ciphertext)
    {
        try
        {
            using var secret = Pair.Decapsulate(ciphertext);
        }
        catch (MalformedInputException)
        {
        }
    }

    private static void TryHybrid(ReadOnlySpan<byte> ciphertext)
    {
        try
        {
            using var secret = HybridKem.Decapsulate(HybridKey, ciphertext);
        }
        catch (MalformedInputException)
        {
        }
    }

    private static byte[] Stretch(ReadOnlySpan<byte> input, int length)
    {
        var output = new byte[length];
        if (!input.IsEmpty)
        {
            for (var i = 0; i < length; i++)
            {
                output[i] = input[i % input.Length];
            }
        }

        return output;
    }

    private static MlKem1024KeyPair CreatePair()
    {
        using var seed = SecretBytes.CopyFrom(new byte[MlKem1024.SeedLength]);
        return MlKem1024.FromSeed(seed);
    }
}
