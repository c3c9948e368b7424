// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using System.Text.Json;
using Chhaya.Bls.Fields;
using Chhaya.Bls.HashToCurve;

namespace Chhaya.Bls.Tests.HashToCurve;

/// <summary>RFC 9380 appendices J.9, J.10 and K.1, K.2: every vector, every intermediate value.</summary>
public class HashToCurveVectorTests
{
    [Theory]
    [InlineData("expand_message_xmd_SHA256_38.json")]
    [InlineData("expand_message_xmd_SHA256_256.json")]
    public void Expand_message_xmd_vectors(string file)
    {
        var doc = VectorFiles.LoadHashToCurve(file);
        var dst = Encoding.ASCII.GetBytes(doc.GetProperty("DST").GetString()!);
        var count = 0;
        foreach (var t in doc.GetProperty("tests").EnumerateArray())
        {
            var msg = Encoding.ASCII.GetBytes(t.GetProperty("msg").GetString()!);
            var len = Convert.ToInt32(t.GetProperty("len_in_bytes").GetString(), 16);
            var output = new byte[len];
            ExpandMessageXmd.Expand(msg, dst, output);
            Assert.Equal(t.GetProperty("uniform_bytes").GetString(), Convert.ToHexStringLower(output));
            count++;
        }

        Assert.Equal(10, count);
    }

    [Theory]
    [InlineData("BLS12381G2_XMD_SHA-256_SSWU_RO_.json")]
    [InlineData("BLS12381G2_XMD_SHA-256_SSWU_NU_.json")]
    public void G2_suite_vectors(string file)
    {
        var doc = VectorFiles.LoadHashToCurve(file);
        var dst = Encoding.ASCII.GetBytes(doc.GetProperty("dst").GetString()!);
        var ro = doc.GetProperty("randomOracle").GetBoolean();
        var count = 0;
        foreach (var v in doc.GetProperty("vectors").EnumerateArray())
        {
            var msg = Encoding.ASCII.GetBytes(v.GetProperty("msg").GetString()!);
            var us = v.GetProperty("u").EnumerateArray().Select(e => ParseFp2(e.GetString()!)).ToArray();
            var computed = new Fp2[us.Length];
            HashToField.ToFp2(msg, dst, computed);
            for (var i = 0; i < us.Length; i++)
            {
                Assert.True(Fp2.Equal(us[i], computed[i]), $"u[{i}] of '{v.GetProperty("msg")}'");
            }

            var qNames = ro ? new[] { "Q0", "Q1" } : ["Q"];
            for (var i = 0; i < qNames.Length; i++)
            {
                AssertG2(v.GetProperty(qNames[i]), Hasher.MapToG2(computed[i]));
            }

            AssertG2(v.GetProperty("P"), ro ? Hasher.HashToG2(msg, dst) : Hasher.EncodeToG2(msg, dst));
            count++;
        }

        Assert.Equal(5, count);
    }

    [Theory]
    [InlineData("BLS12381G1_XMD_SHA-256_SSWU_RO_.json")]
    [InlineData("BLS12381G1_XMD_SHA-256_SSWU_NU_.json")]
    public void G1_suite_vectors(string file)
    {
        var doc = VectorFiles.LoadHashToCurve(file);
        var dst = Encoding.ASCII.GetBytes(doc.GetProperty("dst").GetString()!);
        var ro = doc.GetProperty("randomOracle").GetBoolean();
        var count = 0;
        foreach (var v in doc.GetProperty("vectors").EnumerateArray())
        {
            var msg = Encoding.ASCII.GetBytes(v.GetProperty("msg").GetString()!);
            var us = v.GetProperty("u").EnumerateArray().Select(e => FpHex.Parse(e.GetString()!)).ToArray();
            var computed = new Fp[us.Length];
            HashToField.ToFp(msg, dst, computed);
            for (var i = 0; i < us.Length; i++)
            {
                Assert.True(Fp.Equal(us[i], computed[i]), $"u[{i}]");
            }

            var qNames = ro ? new[] { "Q0", "Q1" } : ["Q"];
            for (var i = 0; i < qNames.Length; i++)
            {
                AssertG1(v.GetProperty(qNames[i]), Hasher.MapToG1(computed[i]));
            }

            AssertG1(v.GetProperty("P"), ro ? Hasher.HashToG1(msg, dst) : Hasher.EncodeToG1(msg, dst));
            count++;
        }

        Assert.Equal(5, count);
    }

    [Theory]
    [MemberData(nameof(HashToG2Cases))]
    public void Ethereum_hash_to_G2_vectors(string name)
    {
        var v = VectorFiles.LoadSig(name);
        var msg = Encoding.UTF8.GetBytes(v.GetProperty("input").GetProperty("msg").GetString()!);
        var dst = Encoding.ASCII.GetBytes("QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_");
        AssertG2(v.GetProperty("output"), Hasher.HashToG2(msg, dst));
    }

    public static TheoryData<string> HashToG2Cases() => VectorFiles.SigCases("hash_to_G2");

    internal static Fp2 ParseFp2(string s)
    {
        var parts = s.Split(',');
        return Fp2.FromHex(parts[0], parts[1]);
    }

    private static void AssertG2(JsonElement expected, G2Projective actual)
    {
        Assert.True(actual.TryToAffine(out var x, out var y));
        Assert.True(Fp2.Equal(ParseFp2(expected.GetProperty("x").GetString()!), x), "x");
        Assert.True(Fp2.Equal(ParseFp2(expected.GetProperty("y").GetString()!), y), "y");
    }

    private static void AssertG1(JsonElement expected, G1Projective actual)
    {
        Assert.True(actual.TryToAffine(out var x, out var y));
        Assert.True(Fp.Equal(FpHex.Parse(expected.GetProperty("x").GetString()!), x), "x");
        Assert.True(Fp.Equal(FpHex.Parse(expected.GetProperty("y").GetString()!), y), "y");
    }
}
