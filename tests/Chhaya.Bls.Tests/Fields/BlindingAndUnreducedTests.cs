// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Fields;
using CsCheck;

namespace Chhaya.Bls.Tests.Fields;

/// <summary>The blinded inversion and multiplication of unreduced operands, against their references.</summary>
public class BlindingAndUnreducedTests
{
    private static readonly Gen<Fp> FpValue = Oracle.FieldValue.Select(Oracle.ToFp);

    private static readonly Gen<Fp2> Fp2Value = Gen.Select(FpValue, FpValue, (a, b) => new Fp2(a, b));

    [Fact]
    public void Blinded_inversion_matches_Fermat_inversion() =>
        Oracle.FieldValue.Sample(a =>
        {
            var fa = Oracle.ToFp(a);
            var expected = Fp.InvertFermat(fa);
            // Two calls draw different blinding factors and must still agree.
            return Fp.Equal(Fp.InvertBlinded(fa), expected)
                && Fp.Equal(Fp.InvertBlinded(fa), expected)
                && Fp.Equal(Fp.Invert(fa), expected);
        });

    [Fact]
    public void Blinded_inversion_on_edge_values()
    {
        Assert.True(Fp.InvertBlinded(Fp.Zero).IsZero);
        Assert.True(Fp.Equal(Fp.InvertBlinded(Fp.One), Fp.One));
        var minusOne = Fp.Neg(Fp.One);
        Assert.True(Fp.Equal(Fp.InvertBlinded(minusOne), minusOne));
        Assert.True(Fp.Equal(Fp.Mul(Fp.InvertBlinded(Fp.FromUInt64(2)), Fp.FromUInt64(2)), Fp.One));
    }

    [Fact]
    public void Random_blinding_factors_are_non_zero_and_differ()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 32; i++)
        {
            var s = Fp.RandomNonZero();
            Assert.False(s.IsZero);
            Assert.True(seen.Add(s.ToString()));
        }
    }

    [Fact]
    public void Fp2_inversion_is_blinded_and_exact() =>
        Fp2Value.Sample(a => a.IsZero ? Fp2.Invert(a).IsZero : Fp2.Equal(Fp2.Mul(a, Fp2.Invert(a)), Fp2.One));

    [Fact]
    public void Multiplication_accepts_operands_below_2p() =>
        Gen.Select(Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue, Oracle.FieldValue).Sample((a, b, c, d) =>
        {
            // a + b and c + d unreduced lie anywhere in [0, 2p - 2].
            var x = Fp.AddUnreduced(Oracle.ToFp(a), Oracle.ToFp(b));
            var y = Fp.AddUnreduced(Oracle.ToFp(c), Oracle.ToFp(d));
            return Oracle.FromFp(Fp.Mul(x, y)) == Oracle.Mod((a + b) * (c + d))
                && Oracle.FromFp(Fp.Mul(x, Oracle.ToFp(c))) == Oracle.Mod((a + b) * c);
        });

    [Fact]
    public void Multiplication_of_the_largest_unreduced_operands()
    {
        var max = Oracle.ToFp(Oracle.P - 1);
        var twoPMinus2 = Fp.AddUnreduced(max, max);
        var expected = Oracle.Mod((2 * (Oracle.P - 1)) * (2 * (Oracle.P - 1)));
        Assert.Equal(expected, Oracle.FromFp(Fp.Mul(twoPMinus2, twoPMinus2)));
        Assert.Equal(Oracle.Mod(2 * (Oracle.P - 1) * (Oracle.P - 1)), Oracle.FromFp(Fp.Mul(twoPMinus2, max)));

        // Sums of two unreduced sums reach 4p - 4, the largest operand the multiplication accepts.
        var fourPMinus4 = Fp.AddUnreduced(twoPMinus2, twoPMinus2);
        var four = 4 * (Oracle.P - 1);
        Assert.Equal(Oracle.Mod(four * four), Oracle.FromFp(Fp.Mul(fourPMinus4, fourPMinus4)));
        Assert.Equal(Oracle.Mod(four * four), Oracle.FromFp(Fp.Square(fourPMinus4)));
    }

    [Fact]
    public void Doubling_by_shift_reduces_at_the_edges()
    {
        foreach (var v in new[] { Oracle.P - 1, (Oracle.P - 1) / 2, (Oracle.P + 1) / 2, System.Numerics.BigInteger.One << 380, (System.Numerics.BigInteger.One << 64) - 1 })
        {
            Assert.Equal(Oracle.Mod(2 * v), Oracle.FromFp(Fp.Double(Oracle.ToFp(v))));
        }

        Oracle.FieldValue.Sample(a => Fp.Equal(Fp.Double(Oracle.ToFp(a)), Fp.Add(Oracle.ToFp(a), Oracle.ToFp(a))));
    }

    [Fact]
    public void Fp2_squaring_matches_multiplication() =>
        Fp2Value.Sample(a => Fp2.Equal(Fp2.Square(a), Fp2.MulReference(a, a)));

    [Fact]
    public void Fp2_squaring_of_the_largest_operands()
    {
        var max = Oracle.ToFp(Oracle.P - 1);
        foreach (var a in new[] { new Fp2(max, max), new Fp2(max, Fp.Zero), new Fp2(Fp.Zero, max), new Fp2(max, Fp.One) })
        {
            Assert.True(Fp2.Equal(Fp2.Square(a), Fp2.MulReference(a, a)));
        }
    }
}
