// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;

namespace Chhaya.Messaging.Identity;

/// <summary>
/// Modular exponentiation modulo p = 2^255 − 19 on four 64-bit limbs, for <see cref="IdentityKeys"/>: the same result
/// as <see cref="BigInteger.ModPow(BigInteger, BigInteger, BigInteger)"/> about ten times faster (no allocation per
/// step, 2^256 ≡ 38 folding instead of a division). Only public values go through it (identity public keys), so it
/// may branch on the exponent's bits.
/// </summary>
internal static class Curve25519Pow
{
    /// <summary><paramref name="value"/>^<paramref name="exponent"/> mod p, for 0 ≤ value and 0 ≤ exponent &lt; 2^256.</summary>
    public static BigInteger ModPow(BigInteger value, BigInteger exponent)
    {
        var p = IdentityKeys.P;
        var reduced = value % p;
        if (reduced.Sign < 0)
        {
            reduced += p;
        }

        Span<byte> bytes = stackalloc byte[32];
        reduced.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        var b0 = ReadLimb(bytes, 0);
        var b1 = ReadLimb(bytes, 1);
        var b2 = ReadLimb(bytes, 2);
        var b3 = ReadLimb(bytes, 3);

        Span<byte> e = stackalloc byte[32];
        if (exponent.Sign < 0 || !exponent.TryWriteBytes(e, out _, isUnsigned: true, isBigEndian: false))
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), "The exponent must be in [0, 2^256).");
        }

        ulong r0 = 1, r1 = 0, r2 = 0, r3 = 0;
        for (var bit = (int)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            Mul(r0, r1, r2, r3, r0, r1, r2, r3, out r0, out r1, out r2, out r3);
            if (((e[bit >> 3] >> (bit & 7)) & 1) != 0)
            {
                Mul(r0, r1, r2, r3, b0, b1, b2, b3, out r0, out r1, out r2, out r3);
            }
        }

        Span<byte> result = stackalloc byte[32];
        WriteLimb(result, 0, r0);
        WriteLimb(result, 1, r1);
        WriteLimb(result, 2, r2);
        WriteLimb(result, 3, r3);

        // The limbs hold a value below 2^256 congruent to the result; one division makes it canonical.
        return new BigInteger(result, isUnsigned: true, isBigEndian: false) % p;
    }

    private static ulong ReadLimb(ReadOnlySpan<byte> bytes, int index) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[(8 * index)..]);

    private static void WriteLimb(Span<byte> bytes, int index, ulong limb) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[(8 * index)..], limb);

    // (x · y) mod p up to a multiple of p, as four limbs below 2^256: schoolbook 4×4 product, then the high half
    // times 38 folded into the low half (2^256 ≡ 38 mod p), then the last carry folded the same way.
    private static void Mul(
        ulong x0, ulong x1, ulong x2, ulong x3, ulong y0, ulong y1, ulong y2, ulong y3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        Span<ulong> x = [x0, x1, x2, x3];
        Span<ulong> y = [y0, y1, y2, y3];
        Span<ulong> t = stackalloc ulong[8];
        for (var i = 0; i < 4; i++)
        {
            ulong carry = 0;
            for (var j = 0; j < 4; j++)
            {
                var product = ((UInt128)x[i] * y[j]) + t[i + j] + carry;
                t[i + j] = (ulong)product;
                carry = (ulong)(product >> 64);
            }

            t[i + 4] = carry;
        }

        ulong c = 0;
        for (var i = 0; i < 4; i++)
        {
            var folded = ((UInt128)t[i + 4] * 38) + t[i] + c;
            t[i] = (ulong)folded;
            c = (ulong)(folded >> 64);
        }

        // c ≤ 38: fold c · 2^256 ≡ 38c back in; a second carry out is impossible after the first can happen, but
        // loop until none is left rather than argue it.
        while (c != 0)
        {
            var add = c * 38;
            c = 0;
            for (var i = 0; i < 4 && add != 0; i++)
            {
                var sum = (UInt128)t[i] + add;
                t[i] = (ulong)sum;
                add = (ulong)(sum >> 64);
            }

            c = add;
        }

        r0 = t[0];
        r1 = t[1];
        r2 = t[2];
        r3 = t[3];
    }
}
