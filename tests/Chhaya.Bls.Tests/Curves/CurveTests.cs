// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;
using CsCheck;

namespace Chhaya.Bls.Tests.Curves;

public class CurveTests
{
    private static readonly ulong[] RLimbs = Oracle.ToLimbs(Oracle.R, 4);

    private static readonly Gen<BigInteger> Scalar =
        Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true) % Oracle.R);

    [Fact]
    public void Generators_are_on_the_curve_and_have_order_r()
    {
        Assert.True(G1.Generator.IsOnCurve);
        Assert.True(G2.Generator.IsOnCurve);
        Assert.True(G1Projective.MulVartime(G1.Generator, RLimbs).IsIdentity);
        Assert.True(G2Projective.MulVartime(G2.Generator, RLimbs).IsIdentity);
        Assert.True(G1.IsInSubgroup(G1.Generator));
        Assert.True(G2.IsInSubgroup(G2.Generator));
        Assert.True(G1.IsInSubgroup(G1Projective.Identity));
        Assert.True(G2.IsInSubgroup(G2Projective.Identity));
    }

    [Fact]
    public void Complete_formulas_handle_every_case()
    {
        var p = G1Projective.MulVartime(G1.Generator, 12345);
        var q = G1Projective.MulVartime(G1.Generator, 777);
        Assert.True(G1Projective.Equal(G1Projective.Add(p, p), G1Projective.Double(p)));
        Assert.True(G1Projective.Add(p, G1Projective.Neg(p)).IsIdentity);
        Assert.True(G1Projective.Equal(G1Projective.Add(p, G1Projective.Identity), p));
        Assert.True(G1Projective.Equal(G1Projective.Add(G1Projective.Identity, p), p));
        Assert.True(G1Projective.Double(G1Projective.Identity).IsIdentity);
        Assert.True(G1Projective.Equal(G1Projective.Add(p, q), G1Projective.MulVartime(G1.Generator, 12345 + 777)));
        Assert.True(G1Projective.Add(p, q).IsOnCurve);

        var a = G2Projective.MulVartime(G2.Generator, 999);
        var b = G2Projective.MulVartime(G2.Generator, 1001);
        Assert.True(G2Projective.Equal(G2Projective.Add(a, a), G2Projective.Double(a)));
        Assert.True(G2Projective.Add(a, G2Projective.Neg(a)).IsIdentity);
        Assert.True(G2Projective.Equal(G2Projective.Add(a, b), G2Projective.MulVartime(G2.Generator, 2000)));
    }

    [Fact]
    public void Constant_time_multiplication_matches_double_and_add() =>
        Scalar.Sample(
            k =>
            {
                var limbs = Oracle.ToLimbs(k, 4);
                return G1Projective.Equal(G1Projective.MulConstantTime(G1.Generator, limbs), G1Projective.MulVartime(G1.Generator, limbs))
                    && G2Projective.Equal(G2Projective.MulConstantTime(G2.Generator, limbs), G2Projective.MulVartime(G2.Generator, limbs));
            },
            iter: 10);

    [Fact]
    public void Points_outside_the_subgroup_are_detected_and_cleared()
    {
        var g1Point = FindPoint<Fp, G1Curve>(x => Fp.FromUInt64(x), (x) => Fp.TrySqrt(Fp.Add(Fp.Mul(Fp.Square(x), x), G1Curve.MulByB(Fp.One)), out var y) ? y : null);
        Assert.True(g1Point.IsOnCurve);
        Assert.False(G1.IsInSubgroup(g1Point));
        var cleared = G1.ClearCofactor(g1Point);
        Assert.True(G1.IsInSubgroup(cleared));
        Assert.True(G1Projective.MulVartime(cleared, RLimbs).IsIdentity);

        var g2Point = FindPoint<Fp2, G2Curve>(x => new Fp2(Fp.FromUInt64(x), Fp.One), x => Fp2.TrySqrt(Fp2.Add(Fp2.Mul(Fp2.Square(x), x), G2Curve.MulByB(Fp2.One)), out var y) ? y : null);
        Assert.True(g2Point.IsOnCurve);
        Assert.False(G2.IsInSubgroup(g2Point));
        var cleared2 = G2.ClearCofactor(g2Point);
        Assert.True(G2.IsInSubgroup(cleared2));
        Assert.True(G2Projective.MulVartime(cleared2, RLimbs).IsIdentity);
    }

    [Fact]
    public void Encodings_round_trip() =>
        Scalar.Sample(
            k =>
            {
                var limbs = Oracle.ToLimbs(k, 4);
                var p1 = G1Projective.MulVartime(G1.Generator, limbs);
                var p2 = G2Projective.MulVartime(G2.Generator, limbs);
                var ok = true;
                foreach (var compressed in new[] { true, false })
                {
                    var b1 = new byte[compressed ? 48 : 96];
                    PointCodec.EncodeG1(p1, b1, compressed);
                    ok &= PointCodec.DecodeG1(b1, out var d1) == PointDecodeStatus.Ok && G1Projective.Equal(d1, p1);
                    var b2 = new byte[compressed ? 96 : 192];
                    PointCodec.EncodeG2(p2, b2, compressed);
                    ok &= PointCodec.DecodeG2(b2, out var d2) == PointDecodeStatus.Ok && G2Projective.Equal(d2, p2);
                }

                return ok;
            },
            iter: 10);

    [Fact]
    public void Identity_encodes_with_the_infinity_flag()
    {
        var b = new byte[48];
        PointCodec.EncodeG1(G1Projective.Identity, b);
        Assert.Equal(0xc0, b[0]);
        Assert.Equal(PointDecodeStatus.Ok, PointCodec.DecodeG1(b, out var p));
        Assert.True(p.IsIdentity);
        var u = new byte[192];
        PointCodec.EncodeG2(G2Projective.Identity, u, compressed: false);
        Assert.Equal(0x40, u[0]);
        Assert.Equal(PointDecodeStatus.Ok, PointCodec.DecodeG2(u, out var q));
        Assert.True(q.IsIdentity);
    }

    [Theory]
    [MemberData(nameof(G1Cases))]
    public void Deserialization_G1_vectors(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var input = VectorFiles.Hex(v.GetProperty("input").GetProperty("pubkey").GetString());
        var expected = v.GetProperty("output").GetBoolean();
        Assert.Equal(expected, PointCodec.DecodeG1(input, out _) == PointDecodeStatus.Ok);
    }

    [Theory]
    [MemberData(nameof(G2Cases))]
    public void Deserialization_G2_vectors(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var input = VectorFiles.Hex(v.GetProperty("input").GetProperty("signature").GetString());
        var expected = v.GetProperty("output").GetBoolean();
        Assert.Equal(expected, PointCodec.DecodeG2(input, out _) == PointDecodeStatus.Ok);
    }

    public static TheoryData<string> G1Cases() => VectorFiles.SigCases("deserialization_G1");

    public static TheoryData<string> G2Cases() => VectorFiles.SigCases("deserialization_G2");

    private static Point<T, TCurve> FindPoint<T, TCurve>(Func<ulong, T> makeX, Func<T, T?> solveY)
        where T : unmanaged, IField<T>
        where TCurve : ICurve<T>
    {
        for (ulong i = 1; i < 1000; i++)
        {
            var x = makeX(i);
            if (solveY(x) is { } y)
            {
                return Point<T, TCurve>.FromAffine(x, y);
            }
        }

        throw new InvalidOperationException("no point found");
    }
}
