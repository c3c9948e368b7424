// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Fields;
using Chhaya.Bls.HashToCurve;
using CsCheck;

namespace Chhaya.Bls.Tests.Fields;

/// <summary>Each fast path checked against the slower reference it replaced, on random and edge inputs.</summary>
public class FastPathTests
{
    private static readonly Gen<Fp> FpValue = Oracle.FieldValue.Select(Oracle.ToFp);

    private static readonly Gen<Fp2> Fp2Value = Gen.Select(FpValue, FpValue, (a, b) => new Fp2(a, b));

    /// <summary>Plain square-and-multiply, the exponentiation the windowed one replaced.</summary>
    private static Fp PowBitByBit(in Fp a, ReadOnlySpan<ulong> exponent)
    {
        var result = Fp.One;
        for (var i = exponent.Length - 1; i >= 0; i--)
        {
            for (var bit = 63; bit >= 0; bit--)
            {
                result = Fp.Mul(result, result);
                if (((exponent[i] >> bit) & 1) != 0)
                {
                    result = Fp.Mul(result, a);
                }
            }
        }

        return result;
    }

    [Fact]
    public void Dedicated_squaring_matches_multiplication_and_the_oracle() =>
        Oracle.FieldValue.Sample(a =>
        {
            var fa = Oracle.ToFp(a);
            return Oracle.FromFp(Fp.Square(fa)) == Oracle.Mod(a * a) && Fp.Equal(Fp.Square(fa), Fp.Mul(fa, fa));
        });

    [Fact]
    public void Squaring_accepts_operands_below_4p() =>
        Gen.Select(Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue).Sample((a, b, c, d) =>
        {
            // (a + b) + (c + d) unreduced lies anywhere in [0, 4p - 4].
            var x = Fp.AddUnreduced(Fp.AddUnreduced(Oracle.ToFp(a), Oracle.ToFp(b)), Fp.AddUnreduced(Oracle.ToFp(c), Oracle.ToFp(d)));
            var sum = a + b + c + d;
            return Oracle.FromFp(Fp.Square(x)) == Oracle.Mod(sum * sum) && Oracle.FromFp(Fp.Mul(x, x)) == Oracle.Mod(sum * sum);
        });

    [Fact]
    public void Wide_products_and_the_separate_reduction_match_the_oracle() =>
        Gen.Select(Oracle.FieldValue, Oracle.FieldValue).Sample((a, b) =>
        {
            var fa = Oracle.ToFp(a);
            var fb = Oracle.ToFp(b);
            return Oracle.FromFp(Fp.MontgomeryReduce(Fp.MulWide(fa, fb))) == Oracle.Mod(a * b)
                && Fp.Equal(Fp.MontgomeryReduce(Fp.MulWide(fa, fb)), Fp.Mul(fa, fb));
        });

    [Fact]
    public void Wide_differences_stay_congruent_and_in_range() =>
        Gen.Select(Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue).Sample((a, b, c, d) =>
        {
            var x = Fp.MulWide(Oracle.ToFp(a), Oracle.ToFp(b));
            var y = Fp.MulWide(Oracle.ToFp(c), Oracle.ToFp(d));
            var s = Fp.MulWide(Fp.AddUnreduced(Oracle.ToFp(a), Oracle.ToFp(c)), Fp.AddUnreduced(Oracle.ToFp(b), Oracle.ToFp(d)));
            // (a + c)(b + d) − ab − cd = ad + cb, never negative.
            return Oracle.FromFp(Fp.MontgomeryReduce(FpWide.SubAddP2(x, y))) == Oracle.Mod((a * b) - (c * d))
                && Oracle.FromFp(Fp.MontgomeryReduce(FpWide.SubSub(s, x, y))) == Oracle.Mod((a * d) + (c * b));
        });

    [Fact]
    public void Portable_bodies_match_the_BMI2_ones() =>
        Gen.Select(Oracle.FieldValue, Oracle.FieldValue).Sample((a, b) =>
        {
            // The portable code (no MULX) runs only on machines without BMI2; compare it here on every machine.
            var fa = Oracle.ToFp(a);
            var fb = Oracle.ToFp(b);
            var wide = Fp.MulWidePortable(fa, fb);
            return Fp.Equal(Fp.MulPortable(fa, fb), Fp.Mul(fa, fb))
                && Fp.Equal(Fp.SquarePortable(fa), Fp.Square(fa))
                && Fp.Equal(Fp.ReducePortable(wide), Fp.MontgomeryReduce(Fp.MulWide(fa, fb)))
                && Oracle.FromFp(Fp.ReducePortable(wide)) == Oracle.Mod(a * b);
        });

    [Fact]
    public void Limb_regrouping_round_trips_every_bit() =>
        Gen.ULong.Array[6].Sample(limbs =>
        {
            limbs[5] &= ulong.MaxValue >> 1; // below 2^383
            Span<ulong> back = stackalloc ulong[6];
            Fp.ToLimbs64(Fp.FromLimbs64(limbs[0], limbs[1], limbs[2], limbs[3], limbs[4], limbs[5]), back);
            return back.SequenceEqual(limbs);
        });

    [Fact]
    public void Fp2_multiplication_on_unreduced_sums_matches_the_reduced_Karatsuba() =>
        Gen.Select(Fp2Value, Fp2Value).Sample((a, b) => Fp2.Equal(Fp2.Mul(a, b), Fp2.MulReference(a, b)));

    [Fact]
    public void Fp2_multiplication_handles_the_largest_operands()
    {
        var max = Oracle.ToFp(Oracle.P - 1);
        var a = new Fp2(max, max);
        Assert.True(Fp2.Equal(Fp2.Mul(a, a), Fp2.MulReference(a, a)));
        Assert.True(Fp2.Equal(Fp2.Mul(a, Fp2.Zero), Fp2.Zero));
        Assert.True(Fp2.Equal(Fp2.Mul(new Fp2(Fp.Zero, max), new Fp2(max, Fp.Zero)), Fp2.MulReference(new Fp2(Fp.Zero, max), new Fp2(max, Fp.Zero))));
    }

    [Fact]
    public void Variable_time_inversion_matches_Fermat_inversion() =>
        Oracle.FieldValue.Sample(a =>
        {
            var fa = Oracle.ToFp(a);
            return Fp.Equal(Fp.InvertVartime(fa), Fp.InvertFermat(fa));
        });

    [Fact]
    public void Lazy_sums_of_products_match_reduced_products() =>
        // Random values and the edge values 0, 1, p − 1 (FieldValue).
        Gen.Select(FpValue, FpValue, FpValue, FpValue).Sample((a, b, c, d) =>
            Fp.Equal(Fp.MulAddMul(a, b, c, d), Fp.Add(Fp.Mul(a, b), Fp.Mul(c, d)))
            && Fp.Equal(Fp.MulSubMul(a, b, c, d), Fp.Sub(Fp.Mul(a, b), Fp.Mul(c, d))));

    [Fact]
    public void Lazy_Fp2_sums_of_products_match_reduced_products() =>
        Gen.Select(Fp2Value, Fp2Value, Fp2Value, Fp2Value).Sample((a, b, c, d) =>
            Fp2.Equal(Fp2.MulAddMul(a, b, c, d), (a * b) + (c * d))
            && Fp2.Equal(Fp2.MulSubMul(a, b, c, d), (a * b) - (c * d))
            && Fp2.Equal(Fp2.MulSubMul(a, b, a, b), Fp2.Zero));

    [Fact]
    public void Variable_time_Fp2_inversion_matches_the_constant_time_one() =>
        Fp2Value.Sample(a => Fp2.Equal(Fp2.InvertVartime(a), Fp2.Invert(a)));

    [Fact]
    public void Windowed_exponentiation_matches_square_and_multiply() =>
        Gen.Select(FpValue, Gen.ULong.Array[6]).Sample((a, e) =>
            Fp.Equal(Fp.PowVartime(a, e), PowBitByBit(a, e))
            && Fp.Equal(Fp.PowPMinus3Over4(a), PowBitByBit(a, FpConstants.PMinus3Over4)));

    [Fact]
    public void Fp2_square_roots_agree_with_the_norm_test() =>
        Fp2Value.Sample(a =>
        {
            var isSquare = Fp2.IsSquare(a);
            var found = Fp2.TrySqrt(a, out var root);
            var square = Fp2.Square(a);
            return found == isSquare
                && (!found || Fp2.Equal(Fp2.Square(root), a))
                && Fp2.TrySqrt(square, out var back)
                && Fp2.Equal(Fp2.Square(back), square);
        });

    [Fact]
    public void Fp2_square_roots_on_the_axes()
    {
        var rng = new Random(7);
        for (var i = 0; i < 30; i++)
        {
            var a = Oracle.RandomFp2(rng);
            var real = new Fp2(a.C0, Fp.Zero);
            var imaginary = new Fp2(Fp.Zero, a.C1);
            Assert.True(Fp2.TrySqrt(real, out var r1) && Fp2.Equal(Fp2.Square(r1), real));
            Assert.Equal(Fp2.IsSquare(imaginary), Fp2.TrySqrt(imaginary, out var r2));
            Assert.True(!Fp2.IsSquare(imaginary) || Fp2.Equal(Fp2.Square(r2), imaginary));
        }
    }

    [Fact]
    public void Sswu_for_G2_lands_on_the_isogenous_curve_with_the_sign_of_u()
    {
        var a = new Fp2(Fp.Zero, Fp.FromUInt64(240));
        var b = new Fp2(Fp.FromUInt64(1012), Fp.FromUInt64(1012));
        var zero = new Fp2(Fp.Zero, Fp.Zero);
        Fp2Value.Sample(u =>
        {
            var (x, y) = Sswu.MapG2(u);
            var rhs = Fp2.Add(Fp2.Mul(Fp2.Add(Fp2.Square(x), a), x), b);
            return Fp2.Equal(Fp2.Square(y), rhs) && y.Sgn0 == u.Sgn0;
        });
        var (x0, y0) = Sswu.MapG2(zero);
        Assert.True(Fp2.Equal(Fp2.Square(y0), Fp2.Add(Fp2.Mul(Fp2.Add(Fp2.Square(x0), a), x0), b)));
    }

    [Fact]
    public void Extreme_exponents_still_work()
    {
        var a = Oracle.ToFp(new BigInteger(12345));
        Assert.True(Fp.Equal(Fp.PowVartime(a, [0, 0, 0, 0, 0, 0]), Fp.One));
        Assert.True(Fp.Equal(Fp.PowVartime(a, [1, 0, 0, 0, 0, 0]), a));
        Assert.True(Fp.Equal(Fp.PowVartime(Fp.Zero, [5, 0, 0, 0, 0, 0]), Fp.Zero));
    }
}
