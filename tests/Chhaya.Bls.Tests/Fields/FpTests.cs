// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Fields;
using CsCheck;

namespace Chhaya.Bls.Tests.Fields;

public class FpTests
{
    [Fact]
    public void Montgomery_constants_match_their_definitions()
    {
        var r = BigInteger.One << 385;
        // Fp.One holds R mod p in Montgomery form; its canonical value is 1, and R2 converts 1 to R.
        Assert.Equal(r % Oracle.P, Oracle.FromFp(Fp.FromCanonicalLimbs(1, 0, 0, 0, 0, 0)) * r % Oracle.P);
        Assert.Equal(BigInteger.One, Oracle.FromFp(Fp.One));
        Assert.Equal(r % Oracle.P, Limbs55(Fp.One));
        Assert.Equal(r * r % Oracle.P, Limbs55(Fp.R2));
        Assert.Equal(Oracle.P, Limbs55(new Fp(Fp.P0, Fp.P1, Fp.P2, Fp.P3, Fp.P4, Fp.P5, Fp.P6)));
        var radix = BigInteger.One << 55;
        Assert.Equal(BigInteger.Zero, ((BigInteger)Fp.PInv55 * (Oracle.P % radix) + 1) % radix);
    }

    [Fact]
    public void Arithmetic_matches_the_big_integer_oracle() =>
        Oracle.FieldValue.Select(Oracle.FieldValue).Sample((a, b) =>
        {
            var fa = Oracle.ToFp(a);
            var fb = Oracle.ToFp(b);
            return Oracle.FromFp(Fp.Add(fa, fb)) == Oracle.Mod(a + b)
                && Oracle.FromFp(Fp.Sub(fa, fb)) == Oracle.Mod(a - b)
                && Oracle.FromFp(Fp.Neg(fa)) == Oracle.Mod(-a)
                && Oracle.FromFp(Fp.Mul(fa, fb)) == Oracle.Mod(a * b)
                && Oracle.FromFp(Fp.Square(fa)) == Oracle.Mod(a * a)
                && Oracle.FromFp(Fp.Double(fa)) == Oracle.Mod(2 * a);
        });

    [Fact]
    public void Aliased_operands_give_the_same_result() =>
        Oracle.FieldValue.Sample(a =>
        {
            var fa = Oracle.ToFp(a);
            return Oracle.FromFp(Fp.Mul(fa, fa)) == Oracle.Mod(a * a)
                && Oracle.FromFp(Fp.Sub(fa, fa)) == 0
                && Oracle.FromFp(Fp.Add(fa, fa)) == Oracle.Mod(a + a);
        });

    [Fact]
    public void Inversion_and_square_roots_match_the_oracle() =>
        Oracle.FieldValue.Sample(a =>
        {
            var fa = Oracle.ToFp(a);
            var inv = Oracle.FromFp(Fp.Invert(fa));
            var expectedInv = a.IsZero ? 0 : BigInteger.ModPow(a, Oracle.P - 2, Oracle.P);
            var isSquare = a.IsZero || BigInteger.ModPow(a, (Oracle.P - 1) / 2, Oracle.P).IsOne;
            var hasRoot = Fp.TrySqrt(fa, out var root);
            return inv == expectedInv
                && hasRoot == isSquare
                && Fp.IsSquare(fa) == isSquare
                && (!hasRoot || Oracle.Mod(Oracle.FromFp(root) * Oracle.FromFp(root)) == a);
        });

    [Fact]
    public void Parsing_rejects_values_at_or_above_p()
    {
        var bytes = Oracle.P.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.False(Fp.TryFromBytes(bytes, out _));
        var below = (Oracle.P - 1).ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.True(Fp.TryFromBytes(below, out var v));
        Assert.Equal(Oracle.P - 1, Oracle.FromFp(v));
        var max = Enumerable.Repeat((byte)0xff, 48).ToArray();
        Assert.False(Fp.TryFromBytes(max, out _));
    }

    [Fact]
    public void Sign_helpers_match_the_oracle() =>
        Oracle.FieldValue.Sample(a =>
        {
            var fa = Oracle.ToFp(a);
            return fa.Sgn0 == (ulong)(a % 2)
                && fa.IsLexicographicallyLargest == (a > (Oracle.P - 1) / 2)
                && fa.IsZero == a.IsZero;
        });

    /// <summary>The integer the seven 55-bit limbs spell, without any Montgomery conversion.</summary>
    private static BigInteger Limbs55(in Fp f)
    {
        ulong[] limbs = [f.L0, f.L1, f.L2, f.L3, f.L4, f.L5, f.L6];
        var v = BigInteger.Zero;
        for (var i = limbs.Length - 1; i >= 0; i--)
        {
            v = (v << 55) + limbs[i];
        }

        return v;
    }
}
