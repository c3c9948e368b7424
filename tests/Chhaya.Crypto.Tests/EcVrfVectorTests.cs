// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;
using Chhaya.Crypto.Edwards;
using Chhaya.Safety;

namespace Chhaya.Crypto.Tests;

/// <summary>RFC 9381 Appendix B.3 (ECVRF-EDWARDS25519-SHA512-TAI, examples 16–18).</summary>
public sealed class EcVrfVectorTests
{
    public static TheoryData<int> Examples => [16, 17, 18];

    private static JsonElement Vector(int example)
    {
        using var doc = VectorFile.Load("ecvrf", "rfc9381_ecvrf_edwards25519.json");
        var suite = doc.RootElement.GetProperty("suites").EnumerateArray().Single(s => s.Str("suite") == "ECVRF-EDWARDS25519-SHA512-TAI");
        return suite.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("example").GetInt32() == example).Clone();
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Prove_reproduces_every_intermediate_value(int example)
    {
        var v = Vector(example);
        using var sk = SecretBytes.CopyFrom(v.Hex("sk"));
        Assert.Equal(v.Str("pk"), Convert.ToHexStringLower(EcVrf.PublicKey(sk)));

        var expanded = new byte[64];
        EcVrf.ExpandSecret(sk.ReadOnlySpan, expanded);
        Assert.Equal(v.Str("x"), Convert.ToHexStringLower(expanded.AsSpan(0, 32)));

        Assert.True(EcVrf.TryEncodeToCurve(v.Hex("pk"), v.Hex("alpha"), out var h, out var ctr));
        Assert.Equal(v.GetProperty("tai_ctr").GetInt32(), ctr);
        Assert.Equal(v.Str("h_point"), Convert.ToHexStringLower(h.Encode()));

        var k = new byte[32];
        Scalar.Reduce512(v.Hex("k_string"), k);
        Assert.Equal(v.Str("k"), Convert.ToHexStringLower(k));
        Assert.Equal(v.Str("u_point"), Convert.ToHexStringLower(EdwardsPoint.ScalarMulBase(k).Encode()));
        Assert.Equal(v.Str("v_point"), Convert.ToHexStringLower(EdwardsPoint.ScalarMul(k, h).Encode()));

        var proof = EcVrf.Prove(sk, v.Hex("alpha"));
        Assert.Equal(v.Str("pi"), Convert.ToHexStringLower(proof));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Verify_and_proof_to_hash_give_beta(int example)
    {
        var v = Vector(example);
        var beta = new byte[64];
        Assert.True(EcVrf.Verify(v.Hex("pk"), v.Hex("alpha"), v.Hex("pi"), beta));
        Assert.Equal(v.Str("beta"), Convert.ToHexStringLower(beta));
        var beta2 = new byte[64];
        Assert.True(EcVrf.TryProofToHash(v.Hex("pi"), beta2));
        Assert.Equal(beta, beta2);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Verify_rejects_every_single_bit_flip_wrong_alpha_and_wrong_key(int example)
    {
        var v = Vector(example);
        var pk = v.Hex("pk");
        var alpha = v.Hex("alpha");
        var pi = v.Hex("pi");
        var beta = new byte[64];

        // Flip one bit in Γ, in c and in s (every byte position, rotating the bit).
        for (var i = 0; i < pi.Length; i++)
        {
            var bad = (byte[])pi.Clone();
            bad[i] ^= (byte)(1 << (i % 8));
            Assert.False(EcVrf.Verify(pk, alpha, bad, beta), $"flipped byte {i}");
            Assert.True(beta.All(b => b == 0));
        }

        Assert.False(EcVrf.Verify(pk, [.. alpha, 0], pi, beta));
        var otherPk = Vector(example == 16 ? 17 : 16).Hex("pk");
        Assert.False(EcVrf.Verify(otherPk, alpha, pi, beta));
        Assert.False(EcVrf.Verify(pk, alpha, pi.AsSpan(0, 79), beta));
        Assert.False(EcVrf.Verify(pk.AsSpan(0, 31), alpha, pi, beta));
    }

    [Fact]
    public void Verify_rejects_s_plus_L_non_canonical_and_small_order_keys()
    {
        var v = Vector(16);
        var pk = v.Hex("pk");
        var pi = v.Hex("pi");
        var beta = new byte[64];

        var s = new System.Numerics.BigInteger(pi.AsSpan(48), isUnsigned: true) + Scalar.L;
        var malleated = (byte[])pi.Clone();
        Assert.True(s.TryWriteBytes(malleated.AsSpan(48), out _, isUnsigned: true));
        Assert.False(EcVrf.Verify(pk, [], malleated, beta));

        // The identity and a point of order 8 as keys, and a non-canonical key encoding (y = p + 1 ≡ 1).
        var identity = new byte[32];
        identity[0] = 1;
        Assert.False(EcVrf.IsValidPublicKey(identity));
        Assert.False(EcVrf.IsValidPublicKey(Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")));
        var nonCanonical = Convert.FromHexString("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.False(EcVrf.IsValidPublicKey(nonCanonical));
        Assert.False(EcVrf.Verify(identity, [], pi, beta));
        Assert.True(EcVrf.IsValidPublicKey(pk));
    }

    [Fact]
    public void Random_keys_round_trip_and_agree_with_Ed25519_public_keys()
    {
        for (var i = 0; i < 8; i++)
        {
            using var sk = SecretBytes.Random(32);
            var pk = EcVrf.PublicKey(sk);
            Assert.Equal(Ed25519.PublicKey(sk), pk);
            var alpha = new byte[i * 7];
            Random.Shared.NextBytes(alpha);
            var proof = EcVrf.Prove(sk, alpha);
            var beta = EcVrf.Verify(pk, alpha, proof);
            Assert.NotNull(beta);
            var again = new byte[64];
            Assert.True(EcVrf.TryProofToHash(proof, again));
            Assert.Equal(beta, again);
            Assert.Equal(proof, EcVrf.Prove(sk, alpha));
        }
    }
}
