// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Curves;
using Chhaya.Bls.Msm;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.Bls.Tests.Signatures;

public class KeyAndScalarTests
{
    [Fact]
    public void Reduction_modulo_r_matches_the_oracle() =>
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var limbs = new ulong[4];
            Scalars.ReduceBigEndian(bytes, limbs);
            var expected = new BigInteger(bytes, isUnsigned: true, isBigEndian: true) % Oracle.R;
            return limbs.SequenceEqual(Oracle.ToLimbs(expected, 4));
        });

    [Fact]
    public void Secret_keys_must_lie_between_1_and_r_minus_1()
    {
        Assert.Throws<MalformedInputException>(() => BlsSecretKey.FromBytes(new byte[32]));
        Assert.Throws<MalformedInputException>(() => BlsSecretKey.FromBytes(new byte[31]));
        var r = Oracle.R.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Throws<MalformedInputException>(() => BlsSecretKey.FromBytes(r));
        var rMinus1 = (Oracle.R - 1).ToByteArray(isUnsigned: true, isBigEndian: true);
        using var key = BlsSecretKey.FromBytes(rMinus1);
        // (r - 1)·G = -G.
        Assert.True(G1Projective.Equal(key.PublicKey.Point, G1Projective.Neg(G1.Generator)));
    }

    [Fact]
    public void KeyGen_is_deterministic_refuses_short_input_and_wipes_on_dispose()
    {
        var ikm = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        using var a = BlsSecretKey.KeyGen(ikm);
        using var b = BlsSecretKey.KeyGen(ikm);
        using var c = BlsSecretKey.KeyGen(ikm, "other"u8);
        Assert.Equal(a.PublicKey, b.PublicKey);
        Assert.NotEqual(a.PublicKey, c.PublicKey);
        Assert.Throws<ArgumentException>(() => BlsSecretKey.KeyGen(new byte[31]));
        var k = BlsSecretKey.Generate();
        k.Dispose();
        Assert.Throws<ObjectDisposedException>(() => k.Sign([1]));
        Assert.DoesNotContain("0", a.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pippenger_matches_the_naive_sum()
    {
        var rng = new Random(11);
        foreach (var n in new[] { 1, 3, 10, 40 })
        {
            var points = Enumerable.Range(1, n).Select(i => G2Projective.MulVartime(G2.Generator, (ulong)(i * 7919))).ToArray();
            var scalars = Enumerable.Range(0, n * 2).Select(_ => (ulong)rng.NextInt64()).ToArray();
            var expected = G2Projective.Identity;
            for (var i = 0; i < n; i++)
            {
                expected = G2Projective.Add(expected, G2Projective.MulVartime(points[i], scalars.AsSpan(i * 2, 2)));
            }

            Assert.True(G2Projective.Equal(expected, Pippenger.Mul<Chhaya.Bls.Fields.Fp2, G2Curve>(points, scalars, 2)), $"n = {n}");
        }
    }

    [Fact]
    public void Batch_verification_catches_one_bad_signature_among_many()
    {
        var keys = Enumerable.Range(0, 4).Select(i => BlsSecretKey.KeyGen(Enumerable.Repeat((byte)(40 + i), 32).ToArray())).ToArray();
        var messages = Enumerable.Range(0, 4).Select(i => new[] { (byte)i }).ToList();
        var sigs = keys.Select((k, i) => k.Sign(messages[i])).ToList();
        var pks = keys.Select(k => k.PublicKey).ToList();
        Assert.True(BlsSignatures.BatchVerify(pks, messages, sigs));
        sigs[2] = keys[2].Sign([9]);
        Assert.False(BlsSignatures.BatchVerify(pks, messages, sigs));
        Assert.False(BlsSignatures.BatchVerify([], [], []));
        Assert.False(BlsSignatures.BatchVerify(pks, messages.Take(3).ToList(), sigs));
    }

    [Fact]
    public void Proofs_of_possession_verify_only_for_their_own_key_and_dst()
    {
        using var a = BlsSecretKey.KeyGen(Enumerable.Repeat((byte)1, 32).ToArray());
        using var b = BlsSecretKey.KeyGen(Enumerable.Repeat((byte)2, 32).ToArray());
        var pop = a.ProvePossession();
        Assert.True(BlsSignatures.PopVerify(a.PublicKey, pop));
        Assert.False(BlsSignatures.PopVerify(b.PublicKey, pop));
        // A signature on the key bytes under the signing DST is not a proof.
        Assert.False(BlsSignatures.PopVerify(a.PublicKey, a.Sign(a.PublicKey.Bytes)));
    }

    [Fact]
    public void Public_key_decoding_names_the_problem()
    {
        var identity = new byte[48];
        identity[0] = 0xc0;
        Assert.Equal(PointDecodeStatus.IdentityPoint, BlsPublicKey.TryDecode(identity, out _));
        var ex = Assert.Throws<MalformedInputException>(() => BlsPublicKey.Decode(identity));
        Assert.Contains("identity", ex.Message, StringComparison.Ordinal);
        Assert.Equal(PointDecodeStatus.BadLength, BlsPublicKey.TryDecode(new byte[47], out _));
    }
}
