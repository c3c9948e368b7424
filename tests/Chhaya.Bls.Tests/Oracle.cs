// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using System.Numerics;
using Chhaya.Bls.Fields;
using CsCheck;

namespace Chhaya.Bls.Tests;

/// <summary>A slow, obviously correct big-integer model of Fp used to check the limb arithmetic.</summary>
internal static class Oracle
{
    public static readonly BigInteger P = BigInteger.Parse(
        "01a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        NumberStyles.HexNumber,
        CultureInfo.InvariantCulture);

    public static readonly BigInteger R = BigInteger.Parse(
        "073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001",
        NumberStyles.HexNumber,
        CultureInfo.InvariantCulture);

    /// <summary>Random field values, biased towards the edges (0, 1, p - 1, small and near-p values).</summary>
    public static readonly Gen<BigInteger> FieldValue = Gen.OneOf(
        Gen.Byte.Array[48].Select(b => new BigInteger(b, isUnsigned: true, isBigEndian: true) % P),
        Gen.Int[0, 3].Select(i => (BigInteger)i),
        Gen.Int[1, 3].Select(i => P - i),
        Gen.ULong.Select(u => (BigInteger)u));

    public static Fp ToFp(BigInteger v)
    {
        var bytes = new byte[48];
        var raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, 48 - raw.Length);
        Assert.True(Fp.TryFromBytes(bytes, out var f));
        return f;
    }

    public static BigInteger FromFp(in Fp f)
    {
        var bytes = new byte[48];
        f.WriteBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    public static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

    public static Fp2 RandomFp2(Random rng) => new(RandomFp(rng), RandomFp(rng));

    public static Fp RandomFp(Random rng)
    {
        var b = new byte[48];
        rng.NextBytes(b);
        return ToFp(new BigInteger(b, isUnsigned: true, isBigEndian: true) % P);
    }

    public static Fp6 RandomFp6(Random rng) => new(RandomFp2(rng), RandomFp2(rng), RandomFp2(rng));

    public static Fp12 RandomFp12(Random rng) => new(RandomFp6(rng), RandomFp6(rng));

    public static ulong[] ToLimbs(BigInteger v, int count)
    {
        var limbs = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            limbs[i] = (ulong)(v & ulong.MaxValue);
            v >>= 64;
        }

        return limbs;
    }

    public static BigInteger Hex(string hex) =>
        BigInteger.Parse("0" + (hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>a^e by plain square-and-multiply over the little-endian limbs of e: the reference for every Fp12 power.</summary>
    public static Fp12 Pow(in Fp12 a, ReadOnlySpan<ulong> e)
    {
        var r = Fp12.One;
        for (var i = e.Length - 1; i >= 0; i--)
        {
            for (var bit = 63; bit >= 0; bit--)
            {
                r = Fp12.Square(r);
                if (((e[i] >> bit) & 1) != 0)
                {
                    r *= a;
                }
            }
        }

        return r;
    }

    /// <summary>An Fp whose stored limbs hold exactly <paramref name="v"/> (below 2^385; not reduced, not converted to Montgomery form).</summary>
    public static Fp RawFp(BigInteger v)
    {
        Assert.InRange(v.Sign, 0, 1);
        Assert.True(v < BigInteger.One << 385);
        var l = new ulong[7];
        for (var i = 0; i < 7; i++)
        {
            l[i] = (ulong)((v >> (55 * i)) & Fp.Mask55);
        }

        return new Fp(l[0], l[1], l[2], l[3], l[4], l[5], l[6]);
    }
}
