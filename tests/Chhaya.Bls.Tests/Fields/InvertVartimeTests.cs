// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Fields;
using CsCheck;

namespace Chhaya.Bls.Tests.Fields;

/// <summary>
/// The divsteps inversion (<see cref="FpDivstepInverse"/> behind <see cref="Fp.InvertVartime"/>) and the batch
/// inversions, against the big-integer inverse and the Fermat inversion (the blinded <see cref="Fp.Invert"/> is
/// no independent reference: it calls InvertVartime itself). The DEBUG build the tests use also checks the
/// algorithm's invariants (cleared low bits, d and e in (−2p, p)) on every batch.
/// </summary>
public class InvertVartimeTests
{
    private static readonly BigInteger P = Oracle.P;

    /// <summary>R = 2^385, the Montgomery radix: the limbs of a hold the plain integer a·R mod p.</summary>
    private static readonly BigInteger R = BigInteger.One << 385;

    private static readonly BigInteger Mask55 = (BigInteger.One << 55) - 1;

    private static readonly Gen<Fp> FpValue = Oracle.FieldValue.Select(Oracle.ToFp);

    /// <summary>Field values with about one in four zero, for the batch helpers.</summary>
    private static readonly Gen<Fp> FpOrZero = Gen.Frequency((3, FpValue), (1, Gen.Const(Fp.Zero)));

    private static readonly Gen<Fp2> Fp2OrZero = Gen.Frequency(
        (6, Gen.Select(FpValue, FpValue, (a, b) => new Fp2(a, b))),
        (1, Gen.Select(FpValue, b => new Fp2(Fp.Zero, b))),
        (1, Gen.Select(FpValue, a => new Fp2(a, Fp.Zero))),
        (2, Gen.Const(Fp2.Zero)));

    /// <summary>The integer held in the limbs, without leaving Montgomery form.</summary>
    private static BigInteger Raw(in Fp x)
    {
        BigInteger v = 0;
        foreach (var limb in new[] { x.L6, x.L5, x.L4, x.L3, x.L2, x.L1, x.L0 })
        {
            v = (v << 55) | limb;
        }

        return v;
    }

    /// <summary>
    /// What InvertVartime must leave in the limbs for limbs holding A: the Montgomery form of the inverse of
    /// a = A·R^-1, that is a^-1·R = A^-1·R² mod p, fully reduced; 0 when p divides A.
    /// </summary>
    private static BigInteger ExpectedRaw(BigInteger a)
    {
        var reduced = a % P;
        return reduced.IsZero ? 0 : BigInteger.ModPow(reduced, P - 2, P) * R % P * R % P;
    }

    /// <summary>
    /// Integers whose bit patterns are the usual trouble spots for a gcd: tiny values, powers of two and their
    /// neighbours, long runs of zeros and of ones, alternating bits, and values at both ends of [0, p).
    /// </summary>
    private static IEnumerable<BigInteger> EdgeIntegers()
    {
        for (var i = 0; i <= 300; i++)
        {
            yield return i;
        }

        for (var k = 0; k < 381; k++)
        {
            var two = BigInteger.One << k;
            yield return two;
            yield return two - 1;
            yield return two + 1;
            yield return P - two;
            yield return P - 1 - two;
            yield return (P - 1) >> k;
            yield return ((BigInteger.One << 380) - 1) >> k << k;
        }

        var alternating = BigInteger.Zero;
        for (var k = 0; k < 380; k += 2)
        {
            alternating |= BigInteger.One << k;
        }

        yield return alternating;
        yield return alternating << 1;
        yield return (BigInteger.One << 380) + 1;
        yield return ((BigInteger.One << 200) - 1) << 100;
        yield return ((BigInteger.One << 300) - 1) | (BigInteger.One << 379);
        yield return (P - 1) / 2;
        yield return (P + 1) / 2;
        yield return (P + 1) / 4;
        yield return P / 3;
        for (var i = 1; i <= 64; i++)
        {
            yield return P - i;
        }
    }

    [Fact]
    public void Matches_the_big_integer_inverse_on_random_values() =>
        Oracle.FieldValue.Sample(a =>
        {
            var expected = a.IsZero ? BigInteger.Zero : BigInteger.ModPow(a, P - 2, P);
            return Oracle.FromFp(Fp.InvertVartime(Oracle.ToFp(a))) == expected;
        });

    [Fact]
    public void Matches_the_Fermat_inversion_and_multiplies_back_to_one() =>
        FpValue.Sample(a =>
        {
            var inverse = Fp.InvertVartime(a);
            return Fp.Equal(inverse, Fp.InvertFermat(a))
                && (a.IsZero ? inverse.IsZero : Fp.Equal(Fp.Mul(a, inverse), Fp.One));
        });

    [Fact]
    public void Zero_one_and_minus_one()
    {
        Assert.True(Fp.InvertVartime(Fp.Zero).IsZero);
        Assert.True(Fp.Equal(Fp.InvertVartime(Fp.One), Fp.One));
        var minusOne = Fp.Neg(Fp.One);
        Assert.True(Fp.Equal(Fp.InvertVartime(minusOne), minusOne));
        Assert.Equal((P + 1) / 2, Oracle.FromFp(Fp.InvertVartime(Fp.FromUInt64(2))));
    }

    [Fact]
    public void Edge_values_as_field_elements()
    {
        // The value v goes in Montgomery form, so the limbs the algorithm sees are v·R mod p.
        var count = 0;
        foreach (var v in EdgeIntegers().Where(v => v < P).Distinct())
        {
            var expected = v.IsZero ? BigInteger.Zero : BigInteger.ModPow(v, P - 2, P);
            Assert.Equal(expected, Oracle.FromFp(Fp.InvertVartime(Oracle.ToFp(v))));
            count++;
        }

        Assert.True(count > 2000, $"only {count} edge values");
    }

    [Fact]
    public void Edge_values_as_the_limbs_the_algorithm_sees()
    {
        // Here the edge integers are the limbs themselves: f = p and g = A at the start of the divsteps.
        foreach (var a in EdgeIntegers().Where(v => v < P).Distinct())
        {
            Assert.Equal(ExpectedRaw(a), Raw(Fp.InvertVartime(Oracle.RawFp(a))));
        }
    }

    [Fact]
    public void Unreduced_limbs_invert_like_their_reduction() =>
        Gen.Select(Oracle.FieldValue, Gen.Int[1, 19]).Sample((a, k) =>
        {
            // Any limbs below 2^55 are accepted: A + k·p for every k that keeps it below 2^385.
            var unreduced = a + (k * P);
            if (unreduced >= BigInteger.One << 385)
            {
                unreduced -= ((unreduced - (BigInteger.One << 385)) / P + 1) * P;
            }

            return Raw(Fp.InvertVartime(Oracle.RawFp(unreduced))) == ExpectedRaw(a);
        });

    [Fact]
    public void Every_multiple_of_p_below_2_385_and_the_largest_limbs()
    {
        var top = BigInteger.One << 385;
        var multiples = 0;
        for (var m = P; m < top; m += P)
        {
            Assert.True(Fp.InvertVartime(Oracle.RawFp(m)).IsZero, $"{m / P}·p did not map to 0");
            multiples++;
        }

        Assert.Equal(19, multiples);

        // All limbs 2^55 − 1: the largest input, 2^385 − 1.
        var max = new Fp(Fp.Mask55, Fp.Mask55, Fp.Mask55, Fp.Mask55, Fp.Mask55, Fp.Mask55, Fp.Mask55);
        Assert.Equal(top - 1, Raw(max));
        Assert.Equal(ExpectedRaw(top - 1), Raw(Fp.InvertVartime(max)));
        Assert.Equal(ExpectedRaw(top - 2), Raw(Fp.InvertVartime(Oracle.RawFp(top - 2))));
    }

    [Fact]
    public void Radix_2_62_constants_are_p_and_its_inverse()
    {
        static BigInteger Value(ReadOnlySpan<long> limbs)
        {
            BigInteger v = 0;
            for (var i = limbs.Length - 1; i >= 0; i--)
            {
                v = (v << 62) + limbs[i];
            }

            return v;
        }

        Assert.Equal(P, Value(FpDivstepInverse.Modulus62));
        Assert.Equal(P, Value(FpDivstepInverse.BalancedModulus62));
        foreach (var limb in FpDivstepInverse.BalancedModulus62)
        {
            Assert.InRange(limb, -(1L << 61), (1L << 61) - 1);
        }

        Assert.Equal(BigInteger.One, FpDivstepInverse.PInv62 * P % (BigInteger.One << 62));
    }

    /// <summary>A value in (−2p, p) as the normalised signed radix-2^62 limbs the algorithm keeps.</summary>
    private static long[] ToLimbs62(BigInteger v)
    {
        var limbs = new long[7];
        for (var i = 0; i < 6; i++)
        {
            limbs[i] = (long)((v >> (62 * i)) & ((BigInteger.One << 62) - 1));
        }

        limbs[6] = (long)(v >> 372);
        return limbs;
    }

    private static BigInteger FromLimbs62(ReadOnlySpan<long> limbs)
    {
        BigInteger v = 0;
        for (var i = limbs.Length - 1; i >= 0; i--)
        {
            v = (v << 62) + limbs[i];
        }

        return v;
    }

    /// <summary>Matrix rows (a, b) with |a| + |b| ≤ 2^62: the extremes the divsteps can produce, and random ones.</summary>
    private static readonly Gen<(long A, long B)> MatrixRow = Gen.OneOf(
        Gen.OneOf(
            Gen.Const((1L << 62, 0L)),
            Gen.Const((-(1L << 62), 0L)),
            Gen.Const((0L, 1L << 62)),
            Gen.Const((0L, -(1L << 62))),
            Gen.Const((-(1L << 61), -(1L << 61))),
            Gen.Const((1L << 61, 1L << 61)),
            Gen.Const((-(1L << 61), 1L << 61))),
        Gen.Select(Gen.Long[-(1L << 61), 1L << 61], Gen.Long[-(1L << 61), 1L << 61]));

    /// <summary>Values in (−2p, p), the cofactor range, biased to its ends.</summary>
    private static readonly Gen<BigInteger> Cofactor = Gen.OneOf(
        Oracle.FieldValue,
        Oracle.FieldValue.Select(v => v - (2 * P) + 1),
        Oracle.FieldValue.Select(v => -v),
        Gen.Const(P - 1),
        Gen.Const((-2 * P) + 1));

    [Fact]
    public void Cofactor_update_is_exact_and_stays_in_range_at_the_extremes() =>
        Gen.Select(Cofactor, Cofactor, MatrixRow).Sample((x, y, row) =>
        {
            // m as the algorithm picks it: a (or b) when x (or y) is negative, less the part that clears the low bits;
            // it lies in (−2^63, 2^62], where the carries are tightest.
            var (a, b) = row;
            var mask = (BigInteger.One << 62) - 1;
            var m0 = (x.Sign < 0 ? a : 0) + (y.Sign < 0 ? b : (BigInteger)0);
            var m = m0 - ((FpDivstepInverse.PInv62 * ((a * x) + (b * y)) + m0) & mask);
            var sum = (a * x) + (b * y) + (m * P);
            var destination = new long[7];
            FpDivstepInverse.CombineModP(ToLimbs62(x), ToLimbs62(y), a, b, (long)m, destination);
            var result = FromLimbs62(destination);
            return (sum & mask).IsZero && result == sum >> 62 && result > -2 * P && result < P
                && destination.Take(6).All(limb => limb is >= 0 and < 1L << 62);
        });

    [Fact]
    public void Batch_inversion_matches_one_by_one_with_zeros_mixed_in() =>
        FpOrZero.Array[0, 150].Sample(values =>
        {
            var batch = (Fp[])values.Clone();
            Fp.InvertVartimeBatch(batch);
            for (var i = 0; i < values.Length; i++)
            {
                if (!Fp.Equal(batch[i], Fp.InvertFermat(values[i])))
                {
                    return false;
                }
            }

            return true;
        });

    [Fact]
    public void Batch_inversion_edge_shapes()
    {
        Fp.InvertVartimeBatch([]);

        var zeros = new Fp[Fp.BatchChunk + 3];
        Fp.InvertVartimeBatch(zeros);
        Assert.All(zeros, z => Assert.True(z.IsZero));

        // A zero first, last and at a chunk boundary, an unreduced zero (the limbs of p) in the middle.
        var rng = new Random(7);
        var values = Enumerable.Range(0, (2 * Fp.BatchChunk) + 1).Select(_ => Oracle.RandomFp(rng)).ToArray();
        values[0] = Fp.Zero;
        values[Fp.BatchChunk - 1] = Fp.Zero;
        values[Fp.BatchChunk] = Fp.Zero;
        values[^1] = Fp.Zero;
        values[10] = Oracle.RawFp(P);
        values[11] = Fp.One;
        var batch = (Fp[])values.Clone();
        Fp.InvertVartimeBatch(batch);
        for (var i = 0; i < values.Length; i++)
        {
            var expected = i == 10 ? BigInteger.Zero : ExpectedRaw(Raw(values[i]));
            Assert.Equal(expected, Raw(batch[i]));
        }

        Assert.True(Fp.Equal(batch[11], Fp.One));
    }

    [Fact]
    public void Fp2_inversion_multiplies_back_to_one() =>
        Fp2OrZero.Sample(a =>
        {
            var inverse = Fp2.InvertVartime(a);
            return a.IsZero ? inverse.IsZero : Fp2.Equal(Fp2.Mul(a, inverse), Fp2.One);
        });

    [Fact]
    public void Fp2_batch_inversion_matches_one_by_one_with_zeros_mixed_in() =>
        Fp2OrZero.Array[0, 150].Sample(values =>
        {
            var batch = (Fp2[])values.Clone();
            Fp2.InvertVartimeBatch(batch);
            for (var i = 0; i < values.Length; i++)
            {
                var ok = values[i].IsZero ? batch[i].IsZero : Fp2.Equal(Fp2.Mul(values[i], batch[i]), Fp2.One);
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        });
}
