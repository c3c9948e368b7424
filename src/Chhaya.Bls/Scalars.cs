// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using Chhaya.Bls.Fields;
using Chhaya.Safety;

namespace Chhaya.Bls;

/// <summary>
/// The few operations on scalars modulo the group order r that signatures need, on four 64-bit
/// little-endian limbs. Everything that may touch a secret key runs in constant time.
/// </summary>
internal static class Scalars
{
    public const int ByteLength = 32;

    /// <summary>r = 0x73eda753…00000001, the order of G1, G2 and GT.</summary>
    public static ReadOnlySpan<ulong> R => [0xffffffff00000001, 0x53bda402fffe5bfe, 0x3339d80809a1d805, 0x73eda753299d7d48];

    /// <summary>Reads a 32-byte big-endian scalar into limbs.</summary>
    public static void ToLimbs(ReadOnlySpan<byte> bigEndian, Span<ulong> limbs)
    {
        limbs[0] = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[24..]);
        limbs[1] = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[16..]);
        limbs[2] = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[8..]);
        limbs[3] = BinaryPrimitives.ReadUInt64BigEndian(bigEndian);
    }

    public static void ToBytes(ReadOnlySpan<ulong> limbs, Span<byte> bigEndian)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian, limbs[3]);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian[8..], limbs[2]);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian[16..], limbs[1]);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian[24..], limbs[0]);
    }

    /// <summary>All ones when 0 &lt; value &lt; r (a usable secret key), else zero. Constant time.</summary>
    public static ulong IsValidSecretMask(ReadOnlySpan<ulong> limbs)
    {
        ulong borrow = 0;
        var r = R;
        for (var i = 0; i < 4; i++)
        {
            _ = Fp.SubBorrow(limbs[i], r[i], ref borrow);
        }

        var belowR = 0UL - borrow;
        var nonZero = ~ConstantTime.IsZeroMask(limbs[0] | limbs[1] | limbs[2] | limbs[3]);
        return belowR & nonZero;
    }

    /// <summary>
    /// OS2IP(bytes) mod r for any length, by constant-time shift-and-subtract: one bit at a time, the
    /// remainder (always below r) is doubled, the bit added, and r subtracted under a mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReduceBigEndian(ReadOnlySpan<byte> bytes, Span<ulong> result)
    {
        var r = R;
        ulong r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        foreach (var b in bytes)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                // rem = 2·rem + bit; rem < 2r < 2^256, so a fifth word holds only the top carry.
                var top = r3 >> 63;
                r3 = (r3 << 1) | (r2 >> 63);
                r2 = (r2 << 1) | (r1 >> 63);
                r1 = (r1 << 1) | (r0 >> 63);
                r0 = (r0 << 1) | (((ulong)b >> bit) & 1);

                ulong borrow = 0;
                var s0 = Fp.SubBorrow(r0, r[0], ref borrow);
                var s1 = Fp.SubBorrow(r1, r[1], ref borrow);
                var s2 = Fp.SubBorrow(r2, r[2], ref borrow);
                var s3 = Fp.SubBorrow(r3, r[3], ref borrow);
                // Subtract when rem ≥ r: either the shifted-out bit was set or there was no borrow.
                var take = 0UL - (top | (borrow ^ 1));
                r0 ^= take & (r0 ^ s0);
                r1 ^= take & (r1 ^ s1);
                r2 ^= take & (r2 ^ s2);
                r3 ^= take & (r3 ^ s3);
            }
        }

        result[0] = r0;
        result[1] = r1;
        result[2] = r2;
        result[3] = r3;
    }
}
