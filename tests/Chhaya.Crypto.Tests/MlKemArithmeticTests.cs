// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.Intrinsics;
using Chhaya.Crypto.MlKem;
using CsCheck;
using Org.BouncyCastle.Crypto.Digests;

namespace Chhaya.Crypto.Tests;

/// <summary>
/// The building blocks of Chhaya's ML-KEM against slow, obviously correct references: exact rational rounding
/// for compression, schoolbook negacyclic multiplication for the NTT path, BouncyCastle for SHA-3 and SHAKE.
/// </summary>
public sealed class MlKemArithmeticTests
{
    private const int Q = 3329;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(11)]
    public void Compress_is_exact_rounding_for_every_coefficient(int d)
    {
        for (var x = 0; x < Q; x++)
        {
            // ⌈x · 2^d / q⌋ = ⌊(2 · x · 2^d + q) / (2q)⌋, then mod 2^d (FIPS 203 §4.2.1).
            var expected = (int)((((2L * x) << d) + Q) / (2L * Q)) % (1 << d);
            Assert.Equal(expected, PolyEncoding.Compress(x, d));
        }

        for (var y = 0; y < 1 << d; y++)
        {
            var expected = (int)(((2L * y * Q) + (1L << d)) / (2L << d));
            Assert.Equal(expected, PolyEncoding.Decompress(y, d));
        }
    }

    [Fact]
    public void Ntt_product_then_inverse_is_the_negacyclic_product() =>
        Gen.Select(Gen.Short[-Q, Q].Array[256], Gen.Short[-Q, Q].Array[256]).Sample((a, b) =>
        {
            var expected = Schoolbook(a, b);
            var fa = (short[])a.Clone();
            var fb = (short[])b.Clone();
            PolyArithmetic.Ntt(fa);
            PolyArithmetic.Ntt(fb);
            var product = new short[256];
            PolyArithmetic.MultiplyAccumulate(product, fa, fb, overwrite: true);
            PolyArithmetic.Reduce(product);
            PolyArithmetic.InverseNtt(product);
            for (var i = 0; i < 256; i++)
            {
                Assert.Equal(expected[i], Mod(product[i]));
            }
        }, iter: 50);

    [Fact]
    public void Four_accumulated_products_stay_within_16_bits() =>
        Gen.Short[-Q, Q].Array[256].Array[8].Sample(polys =>
        {
            // The worst case the K-PKE code builds: Σ of k = 4 products before one reduction.
            var expected = new long[256];
            var accumulator = new short[256];
            for (var j = 0; j < 4; j++)
            {
                var product = Schoolbook(polys[2 * j], polys[(2 * j) + 1]);
                for (var i = 0; i < 256; i++)
                {
                    expected[i] += product[i];
                }

                var fa = (short[])polys[2 * j].Clone();
                var fb = (short[])polys[(2 * j) + 1].Clone();
                PolyArithmetic.Ntt(fa);
                PolyArithmetic.Ntt(fb);
                PolyArithmetic.MultiplyAccumulate(accumulator, fa, fb, overwrite: j == 0);
            }

            PolyArithmetic.Reduce(accumulator);
            PolyArithmetic.InverseNtt(accumulator);
            for (var i = 0; i < 256; i++)
            {
                Assert.Equal(expected[i] % Q, Mod(accumulator[i]));
            }
        }, iter: 20);

    [Fact]
    public void Reductions_return_the_right_residue_in_range()
    {
        for (int a = short.MinValue; a <= short.MaxValue; a++)
        {
            var barrett = PolyArithmetic.BarrettReduce((short)a);
            Assert.InRange(barrett, -(Q - 1) / 2, (Q - 1) / 2);
            Assert.Equal(Mod(a), Mod(barrett));
        }

        Gen.Int[-(Q << 15) + 1, (Q << 15) - 1].Sample(a =>
        {
            var r = PolyArithmetic.MontgomeryReduce(a);
            Assert.InRange(r, -Q + 1, Q - 1);
            Assert.Equal(Mod(a), Mod(r * 65536L));
        }, iter: 5000);
    }

    [Fact]
    public void Encodings_round_trip_and_the_modulus_check_catches_q() =>
        Gen.Short[0, Q - 1].Array[256].Sample(f =>
        {
            var bytes = new byte[384];
            PolyEncoding.Encode12(f, bytes);
            var back = new short[256];
            Assert.True(PolyEncoding.TryDecode12(bytes, back));
            Assert.Equal(f, back);

            var compressed11 = new byte[352];
            PolyEncoding.CompressEncode11(f, compressed11);
            PolyEncoding.DecodeDecompress11(compressed11, back);
            var compressed5 = new byte[160];
            PolyEncoding.CompressEncode5(f, compressed5);
            var back5 = new short[256];
            PolyEncoding.DecodeDecompress5(compressed5, back5);
            for (var i = 0; i < 256; i++)
            {
                Assert.Equal(PolyEncoding.Decompress(PolyEncoding.Compress(f[i], 11), 11), back[i]);
                Assert.Equal(PolyEncoding.Decompress(PolyEncoding.Compress(f[i], 5), 5), back5[i]);
            }

            var index = f[0] % 256;
            var tooBig = (short[])f.Clone();
            tooBig[index] = Q - 1;
            PolyEncoding.Encode12(tooBig, bytes);
            Assert.True(PolyEncoding.TryDecode12(bytes, back));

            // Patch the 12-bit field of coefficient `index` to exactly q.
            var bit = 12 * index;
            var field = (bytes[bit / 8] | (bytes[(bit / 8) + 1] << 8)) & ~(0xFFF << (bit % 8));
            field |= Q << (bit % 8);
            bytes[bit / 8] = (byte)field;
            bytes[(bit / 8) + 1] = (byte)(field >> 8);
            Assert.False(PolyEncoding.TryDecode12(bytes, back));
            PolyEncoding.Decode12Reduced(bytes, back);
            Assert.Equal(0, back[index]);
        }, iter: 50);

    [Fact]
    public void Message_bits_survive_decompress_then_compress() =>
        Gen.Byte.Array[32].Sample(m =>
        {
            var f = new short[256];
            PolyEncoding.DecodeDecompress1(m, f);
            var back = new byte[32];
            PolyEncoding.CompressEncode1(f, back);
            Assert.Equal(m, back);
        }, iter: 50);

    [Fact]
    public void Keccak_sponge_matches_bouncycastle_for_every_mode_and_chunking() =>
        Gen.Select(Gen.Byte.Array[0, 700], Gen.Int[0, 600], Gen.Int[1, 400], Gen.Int[1, 200]).Sample((input, split, outLength, chunk) =>
        {
            split = Math.Min(split, input.Length);
            Check(KeccakSponge.Sha3_256(), new Sha3Digest(256), input, split, 32, chunk);
            Check(KeccakSponge.Sha3_512(), new Sha3Digest(512), input, split, 64, chunk);
            Check(KeccakSponge.Shake128(), new ShakeDigest(128), input, split, outLength, chunk);
            Check(KeccakSponge.Shake256(), new ShakeDigest(256), input, split, outLength, chunk);
        }, iter: 100);

    [Fact]
    public void Four_way_keccak_equals_four_scalar_permutations() =>
        Gen.ULong.Array[100].Sample(lanes =>
        {
            var states = new Vector256<ulong>[25];
            for (var w = 0; w < 25; w++)
            {
                states[w] = Vector256.Create(lanes[w], lanes[25 + w], lanes[50 + w], lanes[75 + w]);
            }

            Keccak4.Permute(states);
            for (var l = 0; l < 4; l++)
            {
                var scalar = lanes.AsSpan(25 * l, 25).ToArray();
                Keccak.Permute(scalar);
                for (var w = 0; w < 25; w++)
                {
                    Assert.Equal(scalar[w], states[w].GetElement(l));
                }
            }
        }, iter: 50);

    [Fact]
    public void Four_way_sampling_equals_the_scalar_algorithms() =>
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[4], Gen.Byte.Array[4], Gen.Byte).Sample((seed, first, second, nonce) =>
        {
            var four = new short[4 * 256];
            var one = new short[256];
            Sampling.SampleNtt4(seed, first, second, four);
            for (var l = 0; l < 4; l++)
            {
                Sampling.SampleNtt(seed, first[l], second[l], one);
                Assert.Equal(one, four.AsSpan(256 * l, 256).ToArray());
            }

            Sampling.SampleCbd2x4(seed, nonce, four);
            for (var l = 0; l < 4; l++)
            {
                Sampling.SampleCbd2(seed, (byte)(nonce + l), one);
                Assert.Equal(one, four.AsSpan(256 * l, 256).ToArray());
            }
        }, iter: 200);

    private static void Check(KeccakSponge sponge, Org.BouncyCastle.Crypto.IDigest reference, byte[] input, int split, int outLength, int chunk)
    {
        sponge.Absorb(input.AsSpan(0, split));
        sponge.Absorb(input.AsSpan(split));
        var ours = new byte[outLength];
        for (var offset = 0; offset < outLength; offset += chunk)
        {
            sponge.Squeeze(ours.AsSpan(offset, Math.Min(chunk, outLength - offset)));
        }

        reference.BlockUpdate(input, 0, input.Length);
        var theirs = new byte[outLength];
        if (reference is ShakeDigest shake)
        {
            shake.OutputFinal(theirs, 0, outLength);
        }
        else
        {
            reference.DoFinal(theirs, 0);
        }

        Assert.Equal(theirs, ours);
    }

    private static long[] Schoolbook(short[] a, short[] b)
    {
        // a · b in Z_q[X]/(X^256 + 1): X^256 = −1 wraps with a sign change.
        var result = new long[256];
        for (var i = 0; i < 256; i++)
        {
            for (var j = 0; j < 256; j++)
            {
                var term = (long)a[i] * b[j];
                if (i + j < 256)
                {
                    result[i + j] += term;
                }
                else
                {
                    result[i + j - 256] -= term;
                }
            }
        }

        for (var i = 0; i < 256; i++)
        {
            result[i] = ((result[i] % Q) + Q) % Q;
        }

        return result;
    }

    private static long Mod(long a) => ((a % Q) + Q) % Q;
}
