// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Chhaya.Safety;

namespace Chhaya.Bls.Fields;

/// <summary>
/// An element of the BLS12-381 base field Fp, p = 0x1a0111ea…ffffaaab (381 bits), held as seven unsigned
/// 55-bit limbs, little-endian (radix 2^55), in Montgomery form (value · 2^385 mod p).
/// </summary>
/// <remarks>
/// <para>Invariant: every limb is below 2^55 and, except for the results of <see cref="AddUnreduced"/>
/// (which only feed a multiplication), the value is fully reduced into [0, p), so equality and zero tests
/// compare limbs. 55-bit limbs leave nine spare bits per word: additions need no carry flag, and the
/// multiplication splits each limb product without one (see <c>Fp.Montgomery.cs</c>), which matters
/// because safe C# has no add-with-carry.</para>
/// <para>Addition, subtraction, negation, multiplication, selection and the fixed-exponent powers
/// (inversion, square root) run in time independent of the values. <see cref="PowVartime"/> and the
/// byte parsers branch on public data only.</para>
/// </remarks>
internal readonly partial struct Fp : IField<Fp>
{
    internal const ulong Mask55 = (1UL << 55) - 1;

    // p in 55-bit limbs.
    internal const ulong P0 = 0x7effffffffaaab;
    internal const ulong P1 = 0x7ffd62a7ffff73;
    internal const ulong P2 = 0x3dac3d8907aaf;
    internal const ulong P3 = 0x1c2895fb398695;
    internal const ulong P4 = 0x3acd764774b84f;
    internal const ulong P5 = 0x53496374f6c869;
    internal const ulong P6 = 0x680447a8e5ff9;

    /// <summary>Length of a canonical big-endian encoding.</summary>
    public const int ByteLength = 48;

    internal readonly ulong L0, L1, L2, L3, L4, L5, L6;

    internal Fp(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5, ulong l6)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
        L4 = l4;
        L5 = l5;
        L6 = l6;
        CheckLimbs(l0, l1, l2, l3, l4, l5, l6);
    }

    /// <summary>p as six 64-bit little-endian limbs, for the byte parser.</summary>
    internal static ReadOnlySpan<ulong> Modulus64 => [0xb9feffffffffaaab, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624, 0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a];

    public static Fp Zero => default;

    /// <summary>1 in Montgomery form, i.e. 2^385 mod p.</summary>
    public static Fp One { get; } = new(
        0x1300000006554f, 0x31ad88000a64, 0x36c376ed46e4f0, 0x68fcde5abb02f0,
        0x22c038b256521e, 0x518d9e51af202c, 0x47aeae76ee078);

    /// <summary>2^770 mod p: multiplying a plain integer by it converts into Montgomery form.</summary>
    internal static Fp R2 { get; } = new(
        0x7e7cd070d107c2, 0x353589382790be, 0x3d13d3bc2fb20e, 0x3b5f4c1b499bc3,
        0x6fb06d6bf8b9c6, 0x2eba75b55549b9, 0x49806f0760af0);

    public bool IsZero => (L0 | L1 | L2 | L3 | L4 | L5 | L6) == 0;

    /// <summary>All ones when zero, else zero; constant time.</summary>
    public ulong IsZeroMask => ConstantTime.IsZeroMask(L0 | L1 | L2 | L3 | L4 | L5 | L6);

    static Fp IField<Fp>.Zero => default;

    static Fp IField<Fp>.One => One;

    /// <summary>The limb invariant, checked on every construction in DEBUG builds (which the tests use).</summary>
    [Conditional("DEBUG")]
    private static void CheckLimbs(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5, ulong l6) =>
        Debug.Assert((l0 | l1 | l2 | l3 | l4 | l5 | l6) <= Mask55, "Fp limb above 2^55");

    /// <summary>a + b: limb sums (no carries: each below 2^56), then one masked subtraction of p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Add(in Fp a, in Fp b) => SubtractPOnce(
        a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4, a.L5 + b.L5, a.L6 + b.L6);

    /// <summary>2a: each limb shifted (below 2^56, no carries), then one masked subtraction of p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Double(in Fp a) => SubtractPOnce(
        a.L0 << 1, a.L1 << 1, a.L2 << 1, a.L3 << 1, a.L4 << 1, a.L5 << 1, a.L6 << 1);

    /// <summary>
    /// a + b without the final subtraction of p, limbs carried back below 2^55: for inputs below p the value is
    /// below 2p, for inputs below 2p below 4p, either way a valid operand of <see cref="Mul"/> and
    /// <see cref="Square"/> (below 4p), but not of anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp AddUnreduced(in Fp a, in Fp b)
    {
        var t = a.L0 + b.L0;
        var e0 = t & Mask55;
        t = a.L1 + b.L1 + (t >> 55);
        var e1 = t & Mask55;
        t = a.L2 + b.L2 + (t >> 55);
        var e2 = t & Mask55;
        t = a.L3 + b.L3 + (t >> 55);
        var e3 = t & Mask55;
        t = a.L4 + b.L4 + (t >> 55);
        var e4 = t & Mask55;
        t = a.L5 + b.L5 + (t >> 55);
        var e5 = t & Mask55;
        var e6 = a.L6 + b.L6 + (t >> 55);
        return new Fp(e0, e1, e2, e3, e4, e5, e6);
    }

    /// <summary>a − b for reduced a and b: signed limb differences carried down, then p added back under a mask when negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Sub(in Fp a, in Fp b) =>
        SubtractModP(a.L0, a.L1, a.L2, a.L3, a.L4, a.L5, a.L6, b.L0, b.L1, b.L2, b.L3, b.L4, b.L5, b.L6);

    /// <summary>−a; −0 is 0 (0 − 0 does not go negative, so p is not added).</summary>
    public static Fp Neg(in Fp a) => Sub(Zero, a);

    /// <summary>
    /// The value of limbs r0…r6 (each below 2^62, value below 2p) reduced into [0, p) with limbs below 2^55:
    /// r − p, with p added back if that went negative. No branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp SubtractPOnce(ulong r0, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong r6) =>
        SubtractModP(r0, r1, r2, r3, r4, r5, r6, P0, P1, P2, P3, P4, P5, P6);

    /// <summary>
    /// a − b for limb values a, b (each limb below 2^62) with a − b in (−p, p): signed limb differences carried
    /// down with arithmetic shifts, then p added back under a mask when the result is negative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp SubtractModP(
        ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5, ulong a6,
        ulong b0, ulong b1, ulong b2, ulong b3, ulong b4, ulong b5, ulong b6)
    {
        var t = (long)a0 - (long)b0;
        var d0 = (ulong)t & Mask55;
        t = (long)a1 - (long)b1 + (t >> 55);
        var d1 = (ulong)t & Mask55;
        t = (long)a2 - (long)b2 + (t >> 55);
        var d2 = (ulong)t & Mask55;
        t = (long)a3 - (long)b3 + (t >> 55);
        var d3 = (ulong)t & Mask55;
        t = (long)a4 - (long)b4 + (t >> 55);
        var d4 = (ulong)t & Mask55;
        t = (long)a5 - (long)b5 + (t >> 55);
        var d5 = (ulong)t & Mask55;
        t = (long)a6 - (long)b6 + (t >> 55);
        return AddPIfNegative(d0, d1, d2, d3, d4, d5, t);
    }

    /// <summary>
    /// Normalised limbs d0…d5 and a signed top word t6 of a value v in (−p, p): returns v, or v + p when v is
    /// negative (t6 &lt; 0), with the choice made by a mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp AddPIfNegative(ulong d0, ulong d1, ulong d2, ulong d3, ulong d4, ulong d5, long t6)
    {
        var mask = (ulong)(t6 >> 63);
        var u = d0 + (P0 & mask);
        var e0 = u & Mask55;
        u = d1 + (P1 & mask) + (u >> 55);
        var e1 = u & Mask55;
        u = d2 + (P2 & mask) + (u >> 55);
        var e2 = u & Mask55;
        u = d3 + (P3 & mask) + (u >> 55);
        var e3 = u & Mask55;
        u = d4 + (P4 & mask) + (u >> 55);
        var e4 = u & Mask55;
        u = d5 + (P5 & mask) + (u >> 55);
        var e5 = u & Mask55;
        var e6 = (ulong)t6 + (P6 & mask) + (u >> 55);
        return new Fp(e0, e1, e2, e3, e4, e5, e6);
    }

    /// <summary>Returns <paramref name="whenOnes"/> if mask is all ones, <paramref name="whenZero"/> if zero.</summary>
    public static Fp Select(ulong mask, in Fp whenOnes, in Fp whenZero) => new(
        whenZero.L0 ^ (mask & (whenOnes.L0 ^ whenZero.L0)),
        whenZero.L1 ^ (mask & (whenOnes.L1 ^ whenZero.L1)),
        whenZero.L2 ^ (mask & (whenOnes.L2 ^ whenZero.L2)),
        whenZero.L3 ^ (mask & (whenOnes.L3 ^ whenZero.L3)),
        whenZero.L4 ^ (mask & (whenOnes.L4 ^ whenZero.L4)),
        whenZero.L5 ^ (mask & (whenOnes.L5 ^ whenZero.L5)),
        whenZero.L6 ^ (mask & (whenOnes.L6 ^ whenZero.L6)));

    public static bool Equal(in Fp a, in Fp b) => EqualMask(a, b) != 0;

    public static ulong EqualMask(in Fp a, in Fp b) => ConstantTime.IsZeroMask(
        (a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3) | (a.L4 ^ b.L4) | (a.L5 ^ b.L5) | (a.L6 ^ b.L6));

    /// <summary>
    /// a^-1 (0 maps to 0) for values that may depend on a secret, by blinding: see
    /// <see cref="InvertBlinded"/>. About a tenth of the cost of <see cref="InvertFermat"/>.
    /// </summary>
    public static Fp Invert(in Fp a) => InvertBlinded(a);

    /// <summary>a^(p-2) = a^-1 (0 maps to 0). Fixed exponent, so constant time; the reference for the tests.</summary>
    internal static Fp InvertFermat(in Fp a) => PowVartime(a, FpConstants.PMinus2);

    /// <summary>
    /// A square root when one exists. p ≡ 3 (mod 4), so a^((p+1)/4) is a root of every square
    /// (RFC 9380 appendix I.1); the result is squared back to tell squares from non-squares.
    /// </summary>
    public static bool TrySqrt(in Fp a, out Fp root)
    {
        root = PowVartime(a, FpConstants.PPlus1Over4);
        return Equal(Square(root), a);
    }

    /// <summary>Legendre symbol test: true for 0 and the non-zero squares.</summary>
    public static bool IsSquare(in Fp a)
    {
        var l = PowVartime(a, FpConstants.PMinus1Over2);
        return l.IsZero || Equal(l, One);
    }

    /// <summary>
    /// a^e for an exponent given as little-endian limbs, with a fixed 4-bit window: 15 table entries,
    /// then four squarings and at most one multiplication per window. The sequence of operations and
    /// the table indices depend only on the exponent, so this is constant time in <paramref name="a"/>
    /// (the exponent must be public).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp PowVartime(in Fp a, ReadOnlySpan<ulong> exponent)
    {
        Span<Fp> table = stackalloc Fp[16];
        table[0] = One;
        table[1] = a;
        for (var i = 2; i < 16; i++)
        {
            table[i] = Mul(table[i - 1], a);
        }

        var result = One;
        var started = false;
        for (var i = exponent.Length - 1; i >= 0; i--)
        {
            for (var shift = 60; shift >= 0; shift -= 4)
            {
                if (started)
                {
                    result = Square(result);
                    result = Square(result);
                    result = Square(result);
                    result = Square(result);
                }

                var digit = (int)((exponent[i] >> shift) & 15);
                if (digit != 0)
                {
                    result = started ? Mul(result, table[digit]) : table[digit];
                    started = true;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// a^((p-3)/4), the shared step of square roots and inverse square roots for p ≡ 3 (mod 4): with
    /// s = a^((p-3)/4), a·s is a root of a when a is a square, a·s^2 is a's Legendre symbol, and s is
    /// 1/sqrt(a). Constant time (fixed exponent).
    /// </summary>
    public static Fp PowPMinus3Over4(in Fp a) => PowVartime(a, FpConstants.PMinus3Over4);

    /// <summary>Converts a plain integer given as six 64-bit limbs (must be below p) into Montgomery form.</summary>
    internal static Fp FromCanonicalLimbs(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5) =>
        Mul(FromLimbs64(l0, l1, l2, l3, l4, l5), R2);

    public static Fp FromUInt64(ulong value) => FromCanonicalLimbs(value, 0, 0, 0, 0, 0);

    /// <summary>The plain (non-Montgomery) value as six 64-bit limbs, into <paramref name="destination"/>.</summary>
    internal void ToCanonicalLimbs(Span<ulong> destination) => ToLimbs64(Mul(this, PlainOne), destination);

    /// <summary>The integer 1 as plain limbs (not Montgomery form): multiplying by it leaves Montgomery form.</summary>
    internal static Fp PlainOne => new(1, 0, 0, 0, 0, 0, 0);

    /// <summary>Regroups a value below 2^384 from six 64-bit limbs into seven 55-bit limbs (no reduction).</summary>
    internal static Fp FromLimbs64(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5) => new(
        l0 & Mask55,
        ((l0 >> 55) | (l1 << 9)) & Mask55,
        ((l1 >> 46) | (l2 << 18)) & Mask55,
        ((l2 >> 37) | (l3 << 27)) & Mask55,
        ((l3 >> 28) | (l4 << 36)) & Mask55,
        ((l4 >> 19) | (l5 << 45)) & Mask55,
        l5 >> 10);

    /// <summary>Regroups the seven 55-bit limbs of a value below 2^384 into six 64-bit limbs (no reduction).</summary>
    internal static void ToLimbs64(in Fp x, Span<ulong> destination)
    {
        Guard.ExactLength(destination.Length, 6, nameof(destination));
        destination[0] = x.L0 | (x.L1 << 55);
        destination[1] = (x.L1 >> 9) | (x.L2 << 46);
        destination[2] = (x.L2 >> 18) | (x.L3 << 37);
        destination[3] = (x.L3 >> 27) | (x.L4 << 28);
        destination[4] = (x.L4 >> 36) | (x.L5 << 19);
        destination[5] = (x.L5 >> 45) | (x.L6 << 10);
    }

    /// <summary>
    /// Parses a 48-byte big-endian integer. Returns false, without a value, when it is not below p:
    /// encodings must be canonical.
    /// </summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out Fp value)
    {
        Guard.ExactLength(bytes.Length, ByteLength);
        Span<ulong> raw =
        [
            BinaryPrimitives.ReadUInt64BigEndian(bytes[40..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[32..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
        ];
        if (!IsBelowModulus(raw))
        {
            value = default;
            return false;
        }

        value = FromCanonicalLimbs(raw[0], raw[1], raw[2], raw[3], raw[4], raw[5]);
        return true;
    }

    /// <summary>Writes the canonical 48-byte big-endian encoding.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, ByteLength);
        Span<ulong> c = stackalloc ulong[6];
        ToCanonicalLimbs(c);
        BinaryPrimitives.WriteUInt64BigEndian(destination, c[5]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], c[4]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], c[3]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], c[2]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[32..], c[1]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[40..], c[0]);
    }

    /// <summary>sgn0 of RFC 9380 section 4.1: the parity of the canonical value.</summary>
    public ulong Sgn0 => Mul(this, PlainOne).L0 & 1;

    /// <summary>True when the canonical value exceeds (p-1)/2 (the ZCash "sign" of a coordinate).</summary>
    public bool IsLexicographicallyLargest
    {
        get
        {
            Span<ulong> c = stackalloc ulong[6];
            ToCanonicalLimbs(c);
            var h = FpConstants.PMinus1Over2;
            ulong borrow = 0;
            // (p-1)/2 - c borrows exactly when c > (p-1)/2.
            for (var i = 0; i < 6; i++)
            {
                _ = SubBorrow(h[i], c[i], ref borrow);
            }

            return borrow != 0;
        }
    }

    public static Fp operator +(in Fp a, in Fp b) => Add(a, b);

    public static Fp operator -(in Fp a, in Fp b) => Sub(a, b);

    public static Fp operator -(in Fp a) => Neg(a);

    public static Fp operator *(in Fp a, in Fp b) => Mul(a, b);

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[ByteLength];
        WriteBytes(b);
        return "0x" + Convert.ToHexStringLower(b);
    }

    private static bool IsBelowModulus(ReadOnlySpan<ulong> raw)
    {
        var p = Modulus64;
        ulong borrow = 0;
        for (var i = 0; i < 6; i++)
        {
            _ = SubBorrow(raw[i], p[i], ref borrow);
        }

        return borrow != 0;
    }

    /// <summary>a + b + carry (carry 0 or 1), leaving the carry out in <paramref name="carry"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        var s = a + b;
        var c1 = s < a ? 1UL : 0UL;
        s += carry;
        carry = c1 | (s < carry ? 1UL : 0UL);
        return s;
    }

    /// <summary>a - b - borrow (borrow 0 or 1), leaving the borrow out in <paramref name="borrow"/>; bit operations only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        var d = a - b - borrow;
        borrow = ((~a & b) | (~(a ^ b) & d)) >> 63;
        return d;
    }
}
