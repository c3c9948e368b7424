// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.P2p.Tests.Encoding;

public class MultibaseTests
{
    private static readonly string[] Supported = ["base16", "base16upper", "base32", "base32upper", "base58btc"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var file in new[] { "basic.csv", "leading_zero.csv", "two_leading_zeros.csv", "case_insensitivity.csv" })
        {
            var lines = File.ReadAllLines(TestPaths.Vector("multibase", file));
            var input = Unquote(lines[0][(lines[0].IndexOf(',', StringComparison.Ordinal) + 1)..]);
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var comma = line.IndexOf(',', StringComparison.Ordinal);
                var name = line[..comma].Trim();
                if (Supported.Contains(name))
                {
                    data.Add(file, name, Unquote(line[(comma + 1)..]) + "|" + input);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Official_vectors_decode(string file, string encoding, string encodedAndInput)
    {
        var sep = encodedAndInput.IndexOf('|', StringComparison.Ordinal);
        var encoded = encodedAndInput[..sep];
        var expected = encodedAndInput[(sep + 1)..];
        var decoded = Multibase.Decode(encoded);
        Assert.True(expected == System.Text.Encoding.Latin1.GetString(decoded), $"{file} {encoding}");
        if (encoding == "base58btc")
        {
            Assert.Equal(encoded, Multibase.EncodeBase58Btc(decoded));
        }

        if (encoding == "base32" && file != "case_insensitivity.csv")
        {
            Assert.Equal(encoded, Multibase.EncodeBase32(decoded));
        }
    }

    [Fact]
    public void Vectors_cover_base58_and_base32() => Assert.True(Cases().Count >= 12);

    [Fact]
    public void Base58_round_trips_with_leading_zeros() =>
        Gen.Byte[0, 3].Array[0, 8].Select(Gen.Byte.Array[0, 64], (z, rest) => z.Select(_ => (byte)0).Concat(rest).ToArray())
            .Sample(bytes => Base58.Decode(Base58.Encode(bytes)).AsSpan().SequenceEqual(bytes));

    [Fact]
    public void Base32_round_trips() =>
        Gen.Byte.Array[0, 100].Sample(bytes => Base32.Decode(Base32.Encode(bytes)).AsSpan().SequenceEqual(bytes));

    [Theory]
    [InlineData("z0OIl")]
    [InlineData("b1")]
    [InlineData("bab")] // non-zero padding bits
    [InlineData("x1234")]
    [InlineData("")]
    [InlineData("f0")]
    public void Rejects_bad_text(string text) => Assert.Throws<MalformedInputException>(() => Multibase.Decode(text));

    private static string Unquote(string s)
    {
        s = s.Trim();
        if (s.StartsWith('"') && s.EndsWith('"'))
        {
            s = s[1..^1];
        }

        return s.Replace("\\x00", "\0", StringComparison.Ordinal);
    }
}
