// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Crypto;

/// <summary>
/// The three AEAD open paths on attacker-chosen ciphertext: input = 1 byte choosing the associated-data
/// length ‖ associated data ‖ ciphertext. Each must return false/null, never throw, and never authenticate
/// random bytes.
/// </summary>
public sealed class AeadOpenFuzzer : IFuzzer
{
    private static readonly SecretBytes Key = SecretBytes.CopyFrom(Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    private static readonly byte[] Nonce = new byte[ChaCha20Poly1305Aead.NonceLength];

    public string Name => "crypto-aead-open";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        var adLength = input.IsEmpty ? 0 : Math.Min(input[0], input.Length - 1);
        var ad = input.Length > 0 ? input.Slice(1, adLength) : default;
        var ciphertext = input.Length > 0 ? input[(1 + adLength)..] : default;

        if (ChaCha20Poly1305Aead.Decrypt(Key.ReadOnlySpan, Nonce, ciphertext, ad) is not null
            | MessageAead.Open(Key, ciphertext, ad) is not null
            | OpenRecord(ciphertext, ad))
        {
            throw new InvalidOperationException("A random ciphertext authenticated.");
        }
    }

    private static bool OpenRecord(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> ad)
    {
        using var opener = new RecordOpener(Key, "fuzz"u8);
        var output = new byte[Math.Max(0, ciphertext.Length - RecordAead.TagLength)];
        if (ciphertext.Length < RecordAead.TagLength || ciphertext.Length - RecordAead.TagLength > RecordAead.MaxRecordLength)
        {
            return opener.TryOpen(0, ciphertext, ad, []);
        }

        return opener.TryOpen(0, ciphertext, ad, output);
    }
}
