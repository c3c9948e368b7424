// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;
using Chhaya.Bls.Pairing;

namespace Chhaya.Bls.Tests.Pairing;

public class ParallelMillerProductTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 4)]
    [InlineData(3, 2)]
    [InlineData(7, 3)]
    [InlineData(7, 16)]
    public void Any_split_over_threads_gives_the_sequential_product_and_builds_each_pair_once(int count, int workers)
    {
        var rng = new Random(40 + count);
        var ps = new G1Projective[count];
        var qs = new G2Projective[count];
        for (var i = 0; i < count; i++)
        {
            ps[i] = G1Projective.MulVartime(G1.Generator, (ulong)rng.NextInt64(1, long.MaxValue));
            qs[i] = G2Projective.MulVartime(G2.Generator, (ulong)rng.NextInt64(1, long.MaxValue));
        }

        var calls = new int[count];
        var product = ParallelMillerProduct.Compute(count, i =>
        {
            Interlocked.Increment(ref calls[i]);
            return (ps[i], qs[i]);
        }, workers);

        Assert.All(calls, c => Assert.Equal(1, c));
        Assert.True(Fp12.Equal(FinalExponentiation.Apply(product), Pairings.MultiPair(ps, qs)));
    }

    [Fact]
    public void Aggregate_verification_agrees_on_one_thread_and_on_several()
    {
        var keys = Enumerable.Range(1, 6).Select(i => BlsSecretKey.KeyGen(Enumerable.Repeat((byte)i, 32).ToArray())).ToList();
        var messages = Enumerable.Range(0, 6).Select(i => new[] { (byte)i, (byte)(i * 7) }).ToList();
        var aggregate = BlsSignatures.Aggregate(keys.Select((k, i) => k.Sign(messages[i])).ToList());
        var publicKeys = keys.Select(k => k.PublicKey).ToList();
        var tampered = messages.Select(m => m.ToArray()).ToList();
        tampered[4][0] ^= 1;
        foreach (var threads in new[] { 1, 2, 5 })
        {
            Assert.True(BlsSignatures.AggregateVerify(publicKeys, messages, aggregate, threads));
            Assert.False(BlsSignatures.AggregateVerify(publicKeys, tampered, aggregate, threads));
        }

        foreach (var k in keys)
        {
            k.Dispose();
        }
    }

    [Fact]
    public void A_null_key_message_or_signature_is_an_argument_error_not_a_worker_failure()
    {
        using var key = BlsSecretKey.KeyGen(new byte[32]);
        var messages = Enumerable.Range(0, 4).Select(i => new[] { (byte)i }).ToList();
        var signature = key.Sign(messages[0]);
        var keys = Enumerable.Repeat(key.PublicKey, 4).ToList();
        var withNullKey = keys.ToList();
        withNullKey[2] = null!;
        var withNullMessage = messages.ToList();
        withNullMessage[3] = null!;

        Assert.Throws<ArgumentException>(() => BlsSignatures.AggregateVerify(withNullKey, messages, signature, 2));
        Assert.Throws<ArgumentException>(() => BlsSignatures.AggregateVerify(keys, withNullMessage, signature, 2));
        Assert.Throws<ArgumentException>(() => BlsSignatures.FastAggregateVerify(withNullKey, messages[0], signature));
        Assert.Throws<ArgumentException>(() => BlsSignatures.BatchVerify(keys, messages, [signature, signature, null!, signature]));
    }
}
