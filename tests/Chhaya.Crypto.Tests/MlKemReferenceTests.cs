// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto.MlKem;
using Chhaya.Crypto.Tests.MlKemReference;
using Chhaya.Safety;
using CsCheck;
using Org.BouncyCastle.Crypto.Digests;

namespace Chhaya.Crypto.Tests;

/// <summary>
/// Chhaya's ML-KEM-1024 against BouncyCastle's, byte for byte, on random seeds, randomness and ciphertexts
/// (valid, tampered and random, so both decapsulation outcomes are exercised).
/// </summary>
public sealed class MlKemReferenceTests
{
    private static readonly Gen<byte[]> Seed = Gen.Byte.Array[64];
    private static readonly Gen<byte[]> Randomness = Gen.Byte.Array[32];

    [Fact]
    public void Key_generation_from_a_seed_matches_bouncycastle() =>
        Seed.Sample(seed =>
        {
            using var secret = SecretBytes.CopyFrom(seed);
            using var pair = MlKem1024.FromSeed(secret);
            var (ek, dk) = BouncyCastleMlKem.KeyGen(seed);
            Assert.Equal(ek, pair.EncapsulationKey.ToArray());
            Assert.Equal(dk, pair.DecapsulationKey.ReadOnlySpan.ToArray());
            Assert.Equal(seed, pair.Seed.ReadOnlySpan.ToArray());
        }, iter: 25);

    [Fact]
    public void Encapsulation_with_fixed_randomness_and_decapsulation_match_bouncycastle() =>
        Gen.Select(Seed, Randomness).Sample((seed, m) =>
        {
            using var secret = SecretBytes.CopyFrom(seed);
            using var pair = MlKem1024.FromSeed(secret);
            var ct = new byte[MlKem1024.CiphertextLength];
            using var k = MlKem1024.EncapsulateDeterministic(pair.EncapsulationKey, m, ct);
            var (bcCt, bcK) = BouncyCastleMlKem.Encapsulate(pair.EncapsulationKey.ToArray(), m);
            Assert.Equal(bcCt, ct);
            Assert.Equal(bcK, k.ReadOnlySpan.ToArray());

            using var back = pair.Decapsulate(ct);
            Assert.Equal(bcK, back.ReadOnlySpan.ToArray());
        }, iter: 25);

    [Fact]
    public void Tampered_ciphertexts_take_the_implicit_rejection_path_exactly_as_bouncycastle() =>
        Gen.Select(Seed, Randomness, Gen.Int[0, MlKem1024.CiphertextLength - 1], Gen.Int[0, 7]).Sample((seed, m, index, bit) =>
        {
            using var secret = SecretBytes.CopyFrom(seed);
            using var pair = MlKem1024.FromSeed(secret);
            var ct = new byte[MlKem1024.CiphertextLength];
            using var k = MlKem1024.EncapsulateDeterministic(pair.EncapsulationKey, m, ct);
            ct[index] ^= (byte)(1 << bit);

            using var rejected = pair.Decapsulate(ct);
            var dk = pair.DecapsulationKey.ReadOnlySpan.ToArray();
            Assert.Equal(BouncyCastleMlKem.Decapsulate(dk, ct), rejected.ReadOnlySpan.ToArray());

            // FIPS 203 Algorithm 18: a ciphertext that does not re-encrypt to itself yields K̄ = J(z ‖ c), computed
            // here with BouncyCastle's SHAKE256 as a third opinion.
            Assert.Equal(RejectionKey(dk.AsSpan(3136, 32), ct), rejected.ReadOnlySpan.ToArray());
            Assert.False(rejected.FixedTimeEquals(k.ReadOnlySpan));
        }, iter: 40);

    [Fact]
    public void Random_ciphertexts_decapsulate_as_bouncycastle() =>
        Gen.Select(Seed, Gen.Byte.Array[MlKem1024.CiphertextLength]).Sample((seed, ct) =>
        {
            using var secret = SecretBytes.CopyFrom(seed);
            using var pair = MlKem1024.FromSeed(secret);
            using var k = pair.Decapsulate(ct);
            var dk = pair.DecapsulationKey.ReadOnlySpan.ToArray();
            Assert.Equal(BouncyCastleMlKem.Decapsulate(dk, ct), k.ReadOnlySpan.ToArray());
        }, iter: 20);

    [Fact]
    public void The_selection_keeps_the_key_only_when_every_ciphertext_byte_matches()
    {
        var ct = new byte[MlKem1024.CiphertextLength];
        Random.Shared.NextBytes(ct);
        var key = Enumerable.Repeat((byte)0xAA, 32).ToArray();
        var rejection = Enumerable.Repeat((byte)0x55, 32).ToArray();

        var kept = (byte[])key.Clone();
        MlKemCore.SelectOnMismatch(ct, (byte[])ct.Clone(), kept, rejection);
        Assert.Equal(key, kept);

        foreach (var index in new[] { 0, 700, MlKem1024.CiphertextLength - 1 })
        {
            var other = (byte[])ct.Clone();
            other[index] ^= 0x80;
            var replaced = (byte[])key.Clone();
            MlKemCore.SelectOnMismatch(ct, other, replaced, rejection);
            Assert.Equal(rejection, replaced);
        }
    }

    [Fact]
    public void Encapsulation_keys_failing_the_modulus_check_are_refused_like_bouncycastle()
    {
        using var pair = MlKem1024.GenerateKeyPair();
        var ek = pair.EncapsulationKey.ToArray();

        // Coefficient 0 := q (0x0D01): low byte 0x01, high nibble 0xD in byte 1's low half.
        ek[0] = 0x01;
        ek[1] = (byte)((ek[1] & 0xF0) | 0x0D);
        Assert.False(MlKem1024.IsValidEncapsulationKey(ek));
        Assert.Throws<MalformedInputException>(() => MlKem1024.Encapsulate(ek, new byte[MlKem1024.CiphertextLength]));
        Assert.ThrowsAny<ArgumentException>(() => BouncyCastleMlKem.Encapsulate(ek, new byte[32]));

        // q − 1 in the last coefficient of the last polynomial is fine; ρ is never checked.
        var ok = pair.EncapsulationKey.ToArray();
        ok[1534] = (byte)((ok[1534] & 0x0F) | 0x00);
        ok[1535] = 0xD0; // coefficient 255 of polynomial 3 := 0xD00 = 3328
        ok.AsSpan(1536).Fill(0xFF);
        Assert.True(MlKem1024.IsValidEncapsulationKey(ok));
        ok[1534] |= 0x10; // 3329
        Assert.False(MlKem1024.IsValidEncapsulationKey(ok));
    }

    [Fact]
    public void Decapsulation_keys_failing_the_hash_check_are_refused()
    {
        using var pair = MlKem1024.GenerateKeyPair();
        var dk = pair.DecapsulationKey.ReadOnlySpan.ToArray();
        Assert.True(MlKem1024.IsValidDecapsulationKey(dk));
        foreach (var index in new[] { 1536, 3103, 3104, 3135 })
        {
            var bad = (byte[])dk.Clone();
            bad[index] ^= 1;
            Assert.False(MlKem1024.IsValidDecapsulationKey(bad));
            using var secret = SecretBytes.CopyFrom(bad);
            Assert.Throws<ArgumentException>(() => MlKem1024.Decapsulate(secret, new byte[MlKem1024.CiphertextLength]));
        }

        Assert.False(MlKem1024.IsValidDecapsulationKey(dk.AsSpan(1)));
    }

    private static byte[] RejectionKey(ReadOnlySpan<byte> z, byte[] ciphertext)
    {
        var shake = new ShakeDigest(256);
        shake.BlockUpdate(z);
        shake.BlockUpdate(ciphertext);
        var output = new byte[32];
        shake.OutputFinal(output);
        return output;
    }
}
