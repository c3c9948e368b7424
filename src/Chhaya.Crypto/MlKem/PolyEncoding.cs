// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Crypto.MlKem;

/// <summary>
/// ByteEncode_d / ByteDecode_d (FIPS 203 Algorithms 5 and 6) and Compress_d / Decompress_d (§4.2.1) for the widths
/// ML-KEM-1024 uses: 12 (keys), 11 (d_u), 5 (d_v) and 1 (messages). Bits are little-endian: coefficient i's bit b
/// is bit i·d + b of the byte string.
/// </summary>
/// <remarks>
/// Compression rounds x · 2^d / q with a multiplication by ⌈2^36 / q⌉ and a shift, never a division: a hardware
/// divide can take a data-dependent time, and here x depends on the message being re-encrypted during
/// decapsulation (the "KyberSlash" timing leak). The tests check the multiply-shift against the exact rational
/// rounding for every x &lt; q and every d.
/// </remarks>
internal static class PolyEncoding
{
    private const ulong DivideByQMultiplier = 20642679; // ⌈2^36 / 3329⌉, exact for numerators below 2^23.

    /// <summary>Compress_d(x) = ⌈(2^d / q) · x⌋ mod 2^d for x in [0, q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Compress(int x, int d)
    {
        // round(x · 2^d / q) = ⌊(x · 2^d + (q − 1)/2) / q⌋ since q is odd (no exact halves).
        var numerator = (ulong)((x << d) + ((PolyArithmetic.Q - 1) / 2));
        return (int)((numerator * DivideByQMultiplier) >> 36) & ((1 << d) - 1);
    }

    /// <summary>Decompress_d(y) = ⌈(q / 2^d) · y⌋ for y in [0, 2^d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short Decompress(int y, int d) => (short)(((y * PolyArithmetic.Q) + (1 << (d - 1))) >> d);

    /// <summary>ByteEncode_12 of a polynomial with coefficients in (−q, q) (made canonical first): 384 bytes.</summary>
    public static void Encode12(ReadOnlySpan<short> f, Span<byte> output)
    {
        for (var i = 0; i < PolyArithmetic.N / 2; i++)
        {
            var a = PolyArithmetic.ToUnsigned(f[2 * i]);
            var b = PolyArithmetic.ToUnsigned(f[(2 * i) + 1]);
            output[3 * i] = (byte)a;
            output[(3 * i) + 1] = (byte)((a >> 8) | (b << 4));
            output[(3 * i) + 2] = (byte)(b >> 4);
        }
    }

    /// <summary>
    /// ByteDecode_12 of 384 bytes with FIPS 203's reduction mod q (values 3329..4095 wrap, branch-free), for a
    /// decapsulation key whose ŝ FIPS 203 does not check.
    /// </summary>
    public static void Decode12Reduced(ReadOnlySpan<byte> input, Span<short> f)
    {
        for (var i = 0; i < PolyArithmetic.N / 2; i++)
        {
            var a = input[3 * i] | ((input[(3 * i) + 1] & 0x0F) << 8);
            var b = (input[(3 * i) + 1] >> 4) | (input[(3 * i) + 2] << 4);
            f[2 * i] = ReduceOnce(a);
            f[(2 * i) + 1] = ReduceOnce(b);
        }
    }

    /// <summary>
    /// ByteDecode_12 of 384 public bytes, returning false when a coefficient is q or more: the §7.2 modulus check,
    /// ByteEncode_12(ByteDecode_12(ek)) = ek, in its equivalent form.
    /// </summary>
    public static bool TryDecode12(ReadOnlySpan<byte> input, Span<short> f)
    {
        var overflow = 0;
        for (var i = 0; i < PolyArithmetic.N / 2; i++)
        {
            var a = input[3 * i] | ((input[(3 * i) + 1] & 0x0F) << 8);
            var b = (input[(3 * i) + 1] >> 4) | (input[(3 * i) + 2] << 4);
            overflow |= (PolyArithmetic.Q - 1 - a) | (PolyArithmetic.Q - 1 - b);
            f[2 * i] = (short)a;
            f[(2 * i) + 1] = (short)b;
        }

        return overflow >= 0;
    }

    /// <summary>ByteEncode_11(Compress_11(f)) for coefficients in (−q, q): 352 bytes.</summary>
    public static void CompressEncode11(ReadOnlySpan<short> f, Span<byte> output)
    {
        Span<int> t = stackalloc int[8];
        for (var i = 0; i < PolyArithmetic.N / 8; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                t[j] = Compress(PolyArithmetic.ToUnsigned(f[(8 * i) + j]), 11);
            }

            var o = output.Slice(11 * i, 11);
            o[0] = (byte)t[0];
            o[1] = (byte)((t[0] >> 8) | (t[1] << 3));
            o[2] = (byte)((t[1] >> 5) | (t[2] << 6));
            o[3] = (byte)(t[2] >> 2);
            o[4] = (byte)((t[2] >> 10) | (t[3] << 1));
            o[5] = (byte)((t[3] >> 7) | (t[4] << 4));
            o[6] = (byte)((t[4] >> 4) | (t[5] << 7));
            o[7] = (byte)(t[5] >> 1);
            o[8] = (byte)((t[5] >> 9) | (t[6] << 2));
            o[9] = (byte)((t[6] >> 6) | (t[7] << 5));
            o[10] = (byte)(t[7] >> 3);
        }
    }

    /// <summary>Decompress_11(ByteDecode_11(input)) from 352 bytes.</summary>
    public static void DecodeDecompress11(ReadOnlySpan<byte> input, Span<short> f)
    {
        for (var i = 0; i < PolyArithmetic.N / 8; i++)
        {
            var b = input.Slice(11 * i, 11);
            var s = 8 * i;
            f[s] = Decompress((b[0] | (b[1] << 8)) & 0x7FF, 11);
            f[s + 1] = Decompress(((b[1] >> 3) | (b[2] << 5)) & 0x7FF, 11);
            f[s + 2] = Decompress(((b[2] >> 6) | (b[3] << 2) | (b[4] << 10)) & 0x7FF, 11);
            f[s + 3] = Decompress(((b[4] >> 1) | (b[5] << 7)) & 0x7FF, 11);
            f[s + 4] = Decompress(((b[5] >> 4) | (b[6] << 4)) & 0x7FF, 11);
            f[s + 5] = Decompress(((b[6] >> 7) | (b[7] << 1) | (b[8] << 9)) & 0x7FF, 11);
            f[s + 6] = Decompress(((b[8] >> 2) | (b[9] << 6)) & 0x7FF, 11);
            f[s + 7] = Decompress(((b[9] >> 5) | (b[10] << 3)) & 0x7FF, 11);
        }
    }

    /// <summary>ByteEncode_5(Compress_5(f)) for coefficients in (−q, q): 160 bytes.</summary>
    public static void CompressEncode5(ReadOnlySpan<short> f, Span<byte> output)
    {
        Span<int> t = stackalloc int[8];
        for (var i = 0; i < PolyArithmetic.N / 8; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                t[j] = Compress(PolyArithmetic.ToUnsigned(f[(8 * i) + j]), 5);
            }

            var o = output.Slice(5 * i, 5);
            o[0] = (byte)(t[0] | (t[1] << 5));
            o[1] = (byte)((t[1] >> 3) | (t[2] << 2) | (t[3] << 7));
            o[2] = (byte)((t[3] >> 1) | (t[4] << 4));
            o[3] = (byte)((t[4] >> 4) | (t[5] << 1) | (t[6] << 6));
            o[4] = (byte)((t[6] >> 2) | (t[7] << 3));
        }
    }

    /// <summary>Decompress_5(ByteDecode_5(input)) from 160 bytes.</summary>
    public static void DecodeDecompress5(ReadOnlySpan<byte> input, Span<short> f)
    {
        for (var i = 0; i < PolyArithmetic.N / 8; i++)
        {
            var b = input.Slice(5 * i, 5);
            var s = 8 * i;
            f[s] = Decompress(b[0] & 0x1F, 5);
            f[s + 1] = Decompress(((b[0] >> 5) | (b[1] << 3)) & 0x1F, 5);
            f[s + 2] = Decompress((b[1] >> 2) & 0x1F, 5);
            f[s + 3] = Decompress(((b[1] >> 7) | (b[2] << 1)) & 0x1F, 5);
            f[s + 4] = Decompress(((b[2] >> 4) | (b[3] << 4)) & 0x1F, 5);
            f[s + 5] = Decompress((b[3] >> 1) & 0x1F, 5);
            f[s + 6] = Decompress(((b[3] >> 6) | (b[4] << 2)) & 0x1F, 5);
            f[s + 7] = Decompress((b[4] >> 3) & 0x1F, 5);
        }
    }

    /// <summary>ByteEncode_1(Compress_1(f)) for coefficients in (−q, q): the 32-byte message of K-PKE.Decrypt.</summary>
    public static void CompressEncode1(ReadOnlySpan<short> f, Span<byte> output)
    {
        for (var i = 0; i < 32; i++)
        {
            var b = 0;
            for (var j = 0; j < 8; j++)
            {
                b |= Compress(PolyArithmetic.ToUnsigned(f[(8 * i) + j]), 1) << j;
            }

            output[i] = (byte)b;
        }
    }

    /// <summary>Decompress_1(ByteDecode_1(m)): each message bit becomes 0 or (q + 1)/2, selected by a mask.</summary>
    public static void DecodeDecompress1(ReadOnlySpan<byte> message, Span<short> f)
    {
        for (var i = 0; i < 32; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                var mask = -((message[i] >> j) & 1);
                f[(8 * i) + j] = (short)(mask & ((PolyArithmetic.Q + 1) / 2));
            }
        }
    }

    // x mod q for x in [0, 2^12): subtract q, add it back if that went negative.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static short ReduceOnce(int x)
    {
        var r = x - PolyArithmetic.Q;
        return (short)(r + ((r >> 31) & PolyArithmetic.Q));
    }
}
