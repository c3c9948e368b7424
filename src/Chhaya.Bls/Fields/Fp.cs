// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Chhaya.Safety;

namespace Chhaya.Bls.Fields;

/// <summary>
/// An element of the BLS12-381 base field Fp, p = 0x1a0111ea…ffffaaab (381 bits), held as six 64-bit
/// little-endian limbs in Montgomery form (value · 2^384 mod p), always fully reduced into [0, p).
/// </summary>
/// <remarks>
/// Addition, subtraction, negation, multiplication, selection and the fixed-exponent powers
/// (inversion, square root) run in time independent of the values. <see cref="PowVartime"/> and the
/// byte parsers branch on public data only.
/// </remarks>
internal readonly partial struct Fp : IField<Fp>
{
    internal const ulong P0 = 0xb9feffffffffaaab;
    internal const ulong P1 = 0x1eabfffeb153ffff;
    internal const ulong P2 = 0x6730d2a0f6b0f624;
    internal const ulong P3 = 0x64774b84f38512bf;
    internal const ulong P4 = 0x4b1ba7b6434bacd7;
    internal const ulong P5 = 0x1a0111ea397fe69a;

    /// <summary>-p^-1 mod 2^64, the Montgomery reduction factor.</summary>
    internal const ulong Inv = 0x89f3fffcfffcfffd;

    /// <summary>Length of a canonical big-endian encoding.</summary>
    public const int ByteLength = 48;

    internal readonly ulong L0, L1, L2, L3, L4, L5;

    internal Fp(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
        L4 = l4;
        L5 = l5;
    }

    public static Fp Zero => default;

    /// <summary>1 in Montgomery form, i.e. 2^384 mod p.</summary>
    public static Fp One { get; } = new(
        0x760900000002fffd, 0xebf4000bc40c0002, 0x5f48985753c758ba,
        0x77ce585370525745, 0x5c071a97a256ec6d, 0x15f65ec3fa80e493);

    /// <summary>2^768 mod p: multiplying a plain integer by it converts into Montgomery form.</summary>
    internal static Fp R2 { get; } = new(
        0xf4df1f341c341746, 0x0a76e6a609d104f1, 0x8de5476c4c95b6d5,
        0x67eb88a9939d83c0, 0x9a793e85b519952d, 0x11988fe592cae3aa);

    public bool IsZero => (L0 | L1 | L2 | L3 | L4 | L5) == 0;

    /// <summary>All ones when zero, else zero; constant time.</summary>
    public ulong IsZeroMask => ConstantTime.IsZeroMask(L0 | L1 | L2 | L3 | L4 | L5);

    static Fp IField<Fp>.Zero => default;

    static Fp IField<Fp>.One => One;

    public static Fp Add(in Fp a, in Fp b)
    {
        // Both inputs are below p < 2^382, so the sum fits in six limbs with no carry out.
        ulong c;
        var t0 = a.L0 + b.L0;
        c = t0 < a.L0 ? 1UL : 0UL;
        var t1 = a.L1 + b.L1;
        var c1 = t1 < a.L1 ? 1UL : 0UL;
        t1 += c;
        c = c1 | (t1 < c ? 1UL : 0UL);
        var t2 = a.L2 + b.L2;
        c1 = t2 < a.L2 ? 1UL : 0UL;
        t2 += c;
        c = c1 | (t2 < c ? 1UL : 0UL);
        var t3 = a.L3 + b.L3;
        c1 = t3 < a.L3 ? 1UL : 0UL;
        t3 += c;
        c = c1 | (t3 < c ? 1UL : 0UL);
        var t4 = a.L4 + b.L4;
        c1 = t4 < a.L4 ? 1UL : 0UL;
        t4 += c;
        c = c1 | (t4 < c ? 1UL : 0UL);
        var t5 = a.L5 + b.L5 + c;
        return ReduceOnce(t0, t1, t2, t3, t4, t5);
    }

    /// <summary>2a as a one-bit shift across the limbs (a &lt; 2^381, so nothing leaves the top limb), then one masked reduction.</summary>
    public static Fp Double(in Fp a) => ReduceOnce(
        a.L0 << 1,
        (a.L1 << 1) | (a.L0 >> 63),
        (a.L2 << 1) | (a.L1 >> 63),
        (a.L3 << 1) | (a.L2 >> 63),
        (a.L4 << 1) | (a.L3 >> 63),
        (a.L5 << 1) | (a.L4 >> 63));

    /// <summary>
    /// a + b without the final subtraction of p: below 2p &lt; 2^382, a valid input for
    /// <see cref="MulWide"/> (whose product must stay below p·2^384) and <see cref="Mul"/> (both operands
    /// below 2p), but not for anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp AddUnreduced(in Fp a, in Fp b)
    {
        ulong c = 0;
        var t0 = AddCarry(a.L0, b.L0, ref c);
        var t1 = AddCarry(a.L1, b.L1, ref c);
        var t2 = AddCarry(a.L2, b.L2, ref c);
        var t3 = AddCarry(a.L3, b.L3, ref c);
        var t4 = AddCarry(a.L4, b.L4, ref c);
        return new Fp(t0, t1, t2, t3, t4, a.L5 + b.L5 + c);
    }

    public static Fp Sub(in Fp a, in Fp b)
    {
        ulong br = 0;
        var d0 = SubBorrow(a.L0, b.L0, ref br);
        var d1 = SubBorrow(a.L1, b.L1, ref br);
        var d2 = SubBorrow(a.L2, b.L2, ref br);
        var d3 = SubBorrow(a.L3, b.L3, ref br);
        var d4 = SubBorrow(a.L4, b.L4, ref br);
        var d5 = SubBorrow(a.L5, b.L5, ref br);

        // On borrow, add p back (the mask selects p or 0).
        var mask = 0UL - br;
        ulong c = 0;
        d0 = AddCarry(d0, P0 & mask, ref c);
        d1 = AddCarry(d1, P1 & mask, ref c);
        d2 = AddCarry(d2, P2 & mask, ref c);
        d3 = AddCarry(d3, P3 & mask, ref c);
        d4 = AddCarry(d4, P4 & mask, ref c);
        d5 = d5 + (P5 & mask) + c;
        return new Fp(d0, d1, d2, d3, d4, d5);
    }

    public static Fp Neg(in Fp a)
    {
        ulong br = 0;
        var t0 = SubBorrow(P0, a.L0, ref br);
        var t1 = SubBorrow(P1, a.L1, ref br);
        var t2 = SubBorrow(P2, a.L2, ref br);
        var t3 = SubBorrow(P3, a.L3, ref br);
        var t4 = SubBorrow(P4, a.L4, ref br);
        var t5 = SubBorrow(P5, a.L5, ref br);

        // -0 must be 0, not p.
        var keep = ~a.IsZeroMask;
        return new Fp(t0 & keep, t1 & keep, t2 & keep, t3 & keep, t4 & keep, t5 & keep);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Square(in Fp a) => Mul(a, a);

    /// <summary>Returns <paramref name="whenOnes"/> if mask is all ones, <paramref name="whenZero"/> if zero.</summary>
    public static Fp Select(ulong mask, in Fp whenOnes, in Fp whenZero) => new(
        whenZero.L0 ^ (mask & (whenOnes.L0 ^ whenZero.L0)),
        whenZero.L1 ^ (mask & (whenOnes.L1 ^ whenZero.L1)),
        whenZero.L2 ^ (mask & (whenOnes.L2 ^ whenZero.L2)),
        whenZero.L3 ^ (mask & (whenOnes.L3 ^ whenZero.L3)),
        whenZero.L4 ^ (mask & (whenOnes.L4 ^ whenZero.L4)),
        whenZero.L5 ^ (mask & (whenOnes.L5 ^ whenZero.L5)));

    public static bool Equal(in Fp a, in Fp b) => EqualMask(a, b) != 0;

    public static ulong EqualMask(in Fp a, in Fp b) => ConstantTime.IsZeroMask(
        (a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3) | (a.L4 ^ b.L4) | (a.L5 ^ b.L5));

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

    /// <summary>Converts a plain integer given as limbs (must be below p) into Montgomery form.</summary>
    internal static Fp FromCanonicalLimbs(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4, ulong l5) =>
        Mul(new Fp(l0, l1, l2, l3, l4, l5), R2);

    public static Fp FromUInt64(ulong value) => FromCanonicalLimbs(value, 0, 0, 0, 0, 0);

    /// <summary>The plain (non-Montgomery) value as limbs.</summary>
    internal Fp ToCanonicalLimbs() => Mul(this, new Fp(1, 0, 0, 0, 0, 0));

    /// <summary>
    /// Parses a 48-byte big-endian integer. Returns false, without a value, when it is not below p:
    /// encodings must be canonical.
    /// </summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out Fp value)
    {
        Guard.ExactLength(bytes.Length, ByteLength);
        var raw = new Fp(
            BinaryPrimitives.ReadUInt64BigEndian(bytes[40..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[32..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes));
        if (!IsBelowModulus(raw))
        {
            value = default;
            return false;
        }

        value = Mul(raw, R2);
        return true;
    }

    /// <summary>Writes the canonical 48-byte big-endian encoding.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, ByteLength);
        var c = ToCanonicalLimbs();
        BinaryPrimitives.WriteUInt64BigEndian(destination, c.L5);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], c.L4);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], c.L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], c.L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[32..], c.L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[40..], c.L0);
    }

    /// <summary>sgn0 of RFC 9380 section 4.1: the parity of the canonical value.</summary>
    public ulong Sgn0 => ToCanonicalLimbs().L0 & 1;

    /// <summary>True when the canonical value exceeds (p-1)/2 (the ZCash "sign" of a coordinate).</summary>
    public bool IsLexicographicallyLargest
    {
        get
        {
            var c = ToCanonicalLimbs();
            var h = FpConstants.PMinus1Over2;
            ulong borrow = 0;
            // (p-1)/2 - c borrows exactly when c > (p-1)/2.
            _ = SubBorrow(h[0], c.L0, ref borrow);
            _ = SubBorrow(h[1], c.L1, ref borrow);
            _ = SubBorrow(h[2], c.L2, ref borrow);
            _ = SubBorrow(h[3], c.L3, ref borrow);
            _ = SubBorrow(h[4], c.L4, ref borrow);
            _ = SubBorrow(h[5], c.L5, ref borrow);
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

    private static bool IsBelowModulus(in Fp raw)
    {
        ulong borrow = 0;
        _ = SubBorrow(raw.L0, P0, ref borrow);
        _ = SubBorrow(raw.L1, P1, ref borrow);
        _ = SubBorrow(raw.L2, P2, ref borrow);
        _ = SubBorrow(raw.L3, P3, ref borrow);
        _ = SubBorrow(raw.L4, P4, ref borrow);
        _ = SubBorrow(raw.L5, P5, ref borrow);
        return borrow != 0;
    }

    /// <summary>Subtracts p when the value is at least p; the choice is a mask, not a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp ReduceOnce(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5)
    {
        ulong br = 0;
        var s0 = SubBorrow(t0, P0, ref br);
        var s1 = SubBorrow(t1, P1, ref br);
        var s2 = SubBorrow(t2, P2, ref br);
        var s3 = SubBorrow(t3, P3, ref br);
        var s4 = SubBorrow(t4, P4, ref br);
        var s5 = SubBorrow(t5, P5, ref br);

        // A borrow means t < p: keep t.
        var keep = 0UL - br;
        return new Fp(
            s0 ^ (keep & (t0 ^ s0)),
            s1 ^ (keep & (t1 ^ s1)),
            s2 ^ (keep & (t2 ^ s2)),
            s3 ^ (keep & (t3 ^ s3)),
            s4 ^ (keep & (t4 ^ s4)),
            s5 ^ (keep & (t5 ^ s5)));
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
