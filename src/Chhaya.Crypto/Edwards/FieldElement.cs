// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Chhaya.Safety;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// An element of GF(2^255 − 19) in five unsigned 51-bit limbs (radix 2^51), the representation of the
/// "ref10"/curve25519-donna-64 family of designs. Every operation runs in time independent of the values.
/// </summary>
/// <remarks>
/// Invariant (checked on every construction in DEBUG builds, which the tests use): every limb is below 2^54,
/// the largest input the multiplication bounds allow. Every operation except <see cref="Add"/> returns limbs
/// below 2^52; <see cref="Add"/> skips the carry round (it sits in every ladder step and point formula) and
/// returns the plain limb sums, which stay below 2^54 because no caller adds a sum to a sum of sums. The
/// value is unique only
/// after <see cref="ToBytes"/>, which fully reduces mod p.
/// </remarks>
internal readonly partial struct FieldElement
{
    private const ulong Mask51 = (1UL << 51) - 1;

    // 16·p in limbs, added before subtracting so no limb goes negative (inputs to Sub are below 2^55).
    private const ulong SixteenP0 = 16 * ((1UL << 51) - 19);
    private const ulong SixteenPn = 16 * ((1UL << 51) - 1);

    private readonly ulong _l0, _l1, _l2, _l3, _l4;

    private FieldElement(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        _l0 = l0;
        _l1 = l1;
        _l2 = l2;
        _l3 = l3;
        _l4 = l4;
        CheckLimbs(l0, l1, l2, l3, l4);
    }

    public static FieldElement Zero => default;

    /// <summary>The representation invariant: every limb below 2^54 (so any two elements can be multiplied).</summary>
    [Conditional("DEBUG")]
    private static void CheckLimbs(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4) =>
        Debug.Assert((l0 | l1 | l2 | l3 | l4) < (1UL << 54), "field element limb out of range");

    public static FieldElement One => new(1, 0, 0, 0, 0);

    /// <summary>d = −121665/121666, the edwards25519 curve constant (RFC 8032 §5.1).</summary>
    public static readonly FieldElement D = FromBigInteger(
        (P - 121665) * BigInteger.ModPow(121666, P - 2, P) % P);

    /// <summary>2·d, used by point addition.</summary>
    public static readonly FieldElement D2 = Add(D, D);

    /// <summary>A square root of −1: 2^((p−1)/4) mod p (RFC 8032 §5.1.3).</summary>
    public static readonly FieldElement SqrtMinusOne = FromBigInteger(BigInteger.ModPow(2, (P - 1) / 4, P));

    /// <summary>p = 2^255 − 19 (public constant, used only to build the constants above and by tests).</summary>
    internal static BigInteger P => (BigInteger.One << 255) - 19;

    /// <summary>
    /// Loads 32 little-endian bytes, ignoring bit 255. The value may be ≥ p; callers that need canonical input
    /// check with <see cref="IsCanonical"/> first.
    /// </summary>
    public static FieldElement FromBytes(ReadOnlySpan<byte> s)
    {
        Guard.ExactLength(s.Length, 32, nameof(s));
        return new FieldElement(
            BinaryPrimitives.ReadUInt64LittleEndian(s) & Mask51,
            (BinaryPrimitives.ReadUInt64LittleEndian(s[6..]) >> 3) & Mask51,
            (BinaryPrimitives.ReadUInt64LittleEndian(s[12..]) >> 6) & Mask51,
            (BinaryPrimitives.ReadUInt64LittleEndian(s[19..]) >> 1) & Mask51,
            (BinaryPrimitives.ReadUInt64LittleEndian(s[24..]) >> 12) & Mask51);
    }

    /// <summary>True when the 255-bit value in <paramref name="s"/> (bit 255 ignored) is below p. Public data only.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> s)
    {
        var fe = FromBytes(s);
        Span<byte> again = stackalloc byte[32];
        fe.ToBytes(again);
        again[31] |= (byte)(s[31] & 0x80);
        return again.SequenceEqual(s);
    }

    /// <summary>Writes the unique representative in [0, p) as 32 little-endian bytes (bit 255 clear).</summary>
    public void ToBytes(Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, 32, nameof(destination));
        var (w0, w1, w2, w3) = ToCanonicalWords();
        BinaryPrimitives.WriteUInt64LittleEndian(destination, w0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], w1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], w2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], w3);
    }

    /// <summary>The unique representative in [0, p) as four little-endian 64-bit words (bit 255 clear).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (ulong W0, ulong W1, ulong W2, ulong W3) ToCanonicalWords()
    {
        var (l0, l1, l2, l3, l4) = Carry(_l0, _l1, _l2, _l3, _l4);

        // q = 1 exactly when the value is ≥ p: adding 19 then carries out of bit 255.
        var q = (l0 + 19) >> 51;
        q = (l1 + q) >> 51;
        q = (l2 + q) >> 51;
        q = (l3 + q) >> 51;
        q = (l4 + q) >> 51;

        l0 += 19 * q;
        l1 += l0 >> 51;
        l0 &= Mask51;
        l2 += l1 >> 51;
        l1 &= Mask51;
        l3 += l2 >> 51;
        l2 &= Mask51;
        l4 += l3 >> 51;
        l3 &= Mask51;
        l4 &= Mask51;

        return (l0 | (l1 << 51), (l1 >> 13) | (l2 << 38), (l2 >> 26) | (l3 << 25), (l3 >> 39) | (l4 << 12));
    }

    /// <summary>The five limbs as they are (not reduced), for the packed base-point table.</summary>
    public void WriteLimbs(Span<ulong> destination)
    {
        Guard.ExactLength(destination.Length, 5, nameof(destination));
        destination[0] = _l0;
        destination[1] = _l1;
        destination[2] = _l2;
        destination[3] = _l3;
        destination[4] = _l4;
    }

    /// <summary>An element from five limbs written by <see cref="WriteLimbs"/> (each below 2^54, checked in DEBUG builds).</summary>
    public static FieldElement FromLimbs(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4) => new(l0, l1, l2, l3, l4);

    public static FieldElement FromBigInteger(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        ((value % P + P) % P).TryWriteBytes(bytes, out _, isUnsigned: true);
        return FromBytes(bytes);
    }

    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[32];
        ToBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Add(in FieldElement a, in FieldElement b) =>
        new(a._l0 + b._l0, a._l1 + b._l1, a._l2 + b._l2, a._l3 + b._l3, a._l4 + b._l4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Sub(in FieldElement a, in FieldElement b) =>
        Reduce(
            a._l0 + SixteenP0 - b._l0,
            a._l1 + SixteenPn - b._l1,
            a._l2 + SixteenPn - b._l2,
            a._l3 + SixteenPn - b._l3,
            a._l4 + SixteenPn - b._l4);

    // 4·p in limbs, for the uncarried subtraction (inputs below 2^52, so no limb goes negative).
    private const ulong FourP0 = 4 * ((1UL << 51) - 19);
    private const ulong FourPn = 4 * ((1UL << 51) - 1);

    /// <summary>
    /// a − b without the carry round: a + 4p − b limb by limb. Requires every limb of both inputs below 2^52
    /// (any result of <see cref="Mul"/>, <see cref="Square"/>, <see cref="MulSmall"/>, <see cref="Sub"/>,
    /// <see cref="FromBytes"/> or a constant, but not of <see cref="Add"/>); the result's limbs are below
    /// 2^54, the input bound of the multiplications, which is where the ladder sends it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement SubUncarried(in FieldElement a, in FieldElement b)
    {
        Debug.Assert((a._l0 | a._l1 | a._l2 | a._l3 | a._l4 | b._l0 | b._l1 | b._l2 | b._l3 | b._l4) < (1UL << 52), "SubUncarried input above 2^52");
        return new(
            a._l0 + FourP0 - b._l0,
            a._l1 + FourPn - b._l1,
            a._l2 + FourPn - b._l2,
            a._l3 + FourPn - b._l3,
            a._l4 + FourPn - b._l4);
    }

    public static FieldElement Negate(in FieldElement a) => Sub(Zero, a);

    public static FieldElement Mul(in FieldElement a, in FieldElement b)
    {
        // Column N = Σ aᵢ·bⱼ over i + j ≡ N (mod 5), wrapped terms times 19 because 2^255 ≡ 19 (mod p). Each
        // product p (below 2^113 for limbs below 2^54) is split at bit 54, not 51: with sᵢ = aᵢ·2^10 (below
        // 2^64), the high word of sᵢ·bⱼ is p >> 54 and the low word shifted right by 10 is p mod 2^54, so one
        // mulx and one imul give both halves with no masking. Five lows stay below 2^57 and five highs below
        // 2^61, so plain 64-bit additions suffice and no carry is tested; CarryWide re-splits at bit 51.
        // Written out in full with plain locals: the JIT keeps them in registers, where helper methods with
        // ref accumulators or UInt128 sums made it spill every partial sum to the stack (3x slower).
        ulong s0 = a._l0 << 10, s1 = a._l1 << 10, s2 = a._l2 << 10, s3 = a._l3 << 10, s4 = a._l4 << 10;
        ulong b0 = b._l0, b1 = b._l1, b2 = b._l2, b3 = b._l3, b4 = b._l4;
        ulong b1t = b1 * 19, b2t = b2 * 19, b3t = b3 * 19, b4t = b4 * 19;

        ulong hi0 = High(s0, b0), lo0 = (s0 * b0) >> 10;
        hi0 += High(s1, b4t);
        lo0 += (s1 * b4t) >> 10;
        hi0 += High(s2, b3t);
        lo0 += (s2 * b3t) >> 10;
        hi0 += High(s3, b2t);
        lo0 += (s3 * b2t) >> 10;
        hi0 += High(s4, b1t);
        lo0 += (s4 * b1t) >> 10;

        ulong hi1 = High(s0, b1), lo1 = (s0 * b1) >> 10;
        hi1 += High(s1, b0);
        lo1 += (s1 * b0) >> 10;
        hi1 += High(s2, b4t);
        lo1 += (s2 * b4t) >> 10;
        hi1 += High(s3, b3t);
        lo1 += (s3 * b3t) >> 10;
        hi1 += High(s4, b2t);
        lo1 += (s4 * b2t) >> 10;

        ulong hi2 = High(s0, b2), lo2 = (s0 * b2) >> 10;
        hi2 += High(s1, b1);
        lo2 += (s1 * b1) >> 10;
        hi2 += High(s2, b0);
        lo2 += (s2 * b0) >> 10;
        hi2 += High(s3, b4t);
        lo2 += (s3 * b4t) >> 10;
        hi2 += High(s4, b3t);
        lo2 += (s4 * b3t) >> 10;

        ulong hi3 = High(s0, b3), lo3 = (s0 * b3) >> 10;
        hi3 += High(s1, b2);
        lo3 += (s1 * b2) >> 10;
        hi3 += High(s2, b1);
        lo3 += (s2 * b1) >> 10;
        hi3 += High(s3, b0);
        lo3 += (s3 * b0) >> 10;
        hi3 += High(s4, b4t);
        lo3 += (s4 * b4t) >> 10;

        ulong hi4 = High(s0, b4), lo4 = (s0 * b4) >> 10;
        hi4 += High(s1, b3);
        lo4 += (s1 * b3) >> 10;
        hi4 += High(s2, b2);
        lo4 += (s2 * b2) >> 10;
        hi4 += High(s3, b1);
        lo4 += (s3 * b1) >> 10;
        hi4 += High(s4, b0);
        lo4 += (s4 * b0) >> 10;

        return CarryWide(lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3, lo4, hi4);
    }

    public static FieldElement Square(in FieldElement a)
    {
        // The 15 distinct products of the schoolbook square, split at bit 54 as in Mul; the cross terms are
        // summed once and the column sums doubled (doubling an operand instead would overflow sᵢ).
        ulong a0 = a._l0, a1 = a._l1, a2 = a._l2, a3 = a._l3, a4 = a._l4;
        ulong s0 = a0 << 10, s1 = a1 << 10, s2 = a2 << 10, s3 = a3 << 10, s4 = a4 << 10;
        ulong a3t = a3 * 19, a4t = a4 * 19;

        ulong hi0 = High(s1, a4t), lo0 = (s1 * a4t) >> 10;
        hi0 += High(s2, a3t);
        lo0 += (s2 * a3t) >> 10;
        hi0 = (hi0 << 1) + High(s0, a0);
        lo0 = (lo0 << 1) + ((s0 * a0) >> 10);

        ulong hi1 = High(s0, a1), lo1 = (s0 * a1) >> 10;
        hi1 += High(s2, a4t);
        lo1 += (s2 * a4t) >> 10;
        hi1 = (hi1 << 1) + High(s3, a3t);
        lo1 = (lo1 << 1) + ((s3 * a3t) >> 10);

        ulong hi2 = High(s0, a2), lo2 = (s0 * a2) >> 10;
        hi2 += High(s3, a4t);
        lo2 += (s3 * a4t) >> 10;
        hi2 = (hi2 << 1) + High(s1, a1);
        lo2 = (lo2 << 1) + ((s1 * a1) >> 10);

        ulong hi3 = High(s0, a3), lo3 = (s0 * a3) >> 10;
        hi3 += High(s1, a2);
        lo3 += (s1 * a2) >> 10;
        hi3 = (hi3 << 1) + High(s4, a4t);
        lo3 = (lo3 << 1) + ((s4 * a4t) >> 10);

        ulong hi4 = High(s0, a4), lo4 = (s0 * a4) >> 10;
        hi4 += High(s1, a3);
        lo4 += (s1 * a3) >> 10;
        hi4 = (hi4 << 1) + High(s2, a2);
        lo4 = (lo4 << 1) + ((s2 * a2) >> 10);

        return CarryWide(lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3, lo4, hi4);
    }

    /// <summary>a·k for a small constant k &lt; 2^20 (X25519's (A − 2)/4 = 121665), five products instead of 25.</summary>
    public static FieldElement MulSmall(in FieldElement a, ulong k)
    {
        Debug.Assert(k < (1UL << 20), "MulSmall takes constants below 2^20");
        ulong s0 = a._l0 << 10, s1 = a._l1 << 10, s2 = a._l2 << 10, s3 = a._l3 << 10, s4 = a._l4 << 10;
        return CarryWide(
            (s0 * k) >> 10, High(s0, k),
            (s1 * k) >> 10, High(s1, k),
            (s2 * k) >> 10, High(s2, k),
            (s3 * k) >> 10, High(s3, k),
            (s4 * k) >> 10, High(s4, k));
    }

    /// <summary>Swaps <paramref name="a"/> and <paramref name="b"/> when <paramref name="mask"/> is all ones; no branch on the mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ConditionalSwap(ulong mask, ref FieldElement a, ref FieldElement b)
    {
        var t = Select(mask, b, a);
        b = Select(mask, a, b);
        a = t;
    }

    /// <summary>a^(2^n) by n squarings.</summary>
    public static FieldElement SquareTimes(in FieldElement a, int n)
    {
        var r = a;
        for (var i = 0; i < n; i++)
        {
            r = Square(r);
        }

        return r;
    }

    /// <summary>
    /// a^(p−2) = 1/a (0 maps to 0), by the standard addition chain for 2^255 − 21: constant time, about 265
    /// multiplications. The reference for <see cref="InvertBlinded"/> and <see cref="InvertVartime"/>.
    /// </summary>
    public static FieldElement InvertFermat(in FieldElement a)
    {
        var (z11, z250) = Chain250(a);
        return Mul(SquareTimes(z250, 5), z11);
    }

    /// <summary>a^((p−5)/8) = a^(2^252 − 3), the exponent of the combined square root and division (RFC 8032 §5.1.3).</summary>
    public static FieldElement Pow22523(in FieldElement a)
    {
        var (_, z250) = Chain250(a);
        return Mul(SquareTimes(z250, 2), a);
    }

    /// <summary>Returns (a^11, a^(2^250 − 1)).</summary>
    private static (FieldElement Z11, FieldElement Z250) Chain250(in FieldElement z)
    {
        var z2 = Square(z);
        var z9 = Mul(SquareTimes(z2, 2), z);
        var z11 = Mul(z9, z2);
        var z5 = Mul(Square(z11), z9); // 2^5 − 1
        var z10 = Mul(SquareTimes(z5, 5), z5); // 2^10 − 1
        var z20 = Mul(SquareTimes(z10, 10), z10);
        var z40 = Mul(SquareTimes(z20, 20), z20);
        var z50 = Mul(SquareTimes(z40, 10), z10);
        var z100 = Mul(SquareTimes(z50, 50), z50);
        var z200 = Mul(SquareTimes(z100, 100), z100);
        var z250 = Mul(SquareTimes(z200, 50), z50);
        return (z11, z250);
    }

    /// <summary>True when the value is 0 mod p (constant time in the value).</summary>
    public bool IsZero()
    {
        Span<byte> b = stackalloc byte[32];
        ToBytes(b);
        ulong acc = 0;
        for (var i = 0; i < 32; i++)
        {
            acc |= b[i];
        }

        return ConstantTime.IsZeroMask(acc) != 0;
    }

    /// <summary>The "sign" of RFC 8032: the least significant bit of the canonical value.</summary>
    public int IsNegative()
    {
        Span<byte> b = stackalloc byte[32];
        ToBytes(b);
        return b[0] & 1;
    }

    public static bool Equal(in FieldElement a, in FieldElement b) => Sub(a, b).IsZero();

    /// <summary>Returns <paramref name="whenOnes"/> if <paramref name="mask"/> is all ones, else <paramref name="whenZero"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FieldElement Select(ulong mask, in FieldElement whenOnes, in FieldElement whenZero) => new(
        whenZero._l0 ^ (mask & (whenOnes._l0 ^ whenZero._l0)),
        whenZero._l1 ^ (mask & (whenOnes._l1 ^ whenZero._l1)),
        whenZero._l2 ^ (mask & (whenOnes._l2 ^ whenZero._l2)),
        whenZero._l3 ^ (mask & (whenOnes._l3 ^ whenZero._l3)),
        whenZero._l4 ^ (mask & (whenOnes._l4 ^ whenZero._l4)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement Reduce(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        var (r0, r1, r2, r3, r4) = Carry(l0, l1, l2, l3, l4);
        return new FieldElement(r0, r1, r2, r3, r4);
    }

    /// <summary>One parallel carry round: limbs below 2^64 become limbs below 2^51 + 2^13·19.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong, ulong, ulong, ulong, ulong) Carry(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        ulong c0 = l0 >> 51, c1 = l1 >> 51, c2 = l2 >> 51, c3 = l3 >> 51, c4 = l4 >> 51;
        return ((l0 & Mask51) + (c4 * 19), (l1 & Mask51) + c0, (l2 & Mask51) + c1, (l3 & Mask51) + c2, (l4 & Mask51) + c3);
    }

    /// <summary>The high 64 bits of the 128-bit product a·b (the low 64 bits are plain <c>a * b</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong High(ulong a, ulong b) =>
        Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);

    /// <summary>
    /// Carries the five column sums (low + high·2^54) into limbs below 2^52. Column N's bits from 51 up,
    /// (low &gt;&gt; 51) + (high &lt;&lt; 3), move into column N + 1, and column 4's into column 0 times 19. Bounds for
    /// limbs below 2^54: high &lt; 2^61, so high &lt;&lt; 3 fits; column 4 has no factor 19, so its carry is
    /// below 2^60 and carry·19 fits in 64 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldElement CarryWide(
        ulong lo0, ulong hi0, ulong lo1, ulong hi1, ulong lo2, ulong hi2, ulong lo3, ulong hi3, ulong lo4, ulong hi4)
    {
        var r0 = lo0 & Mask51;
        lo1 += (lo0 >> 51) + (hi0 << 3);
        var r1 = lo1 & Mask51;
        lo2 += (lo1 >> 51) + (hi1 << 3);
        var r2 = lo2 & Mask51;
        lo3 += (lo2 >> 51) + (hi2 << 3);
        var r3 = lo3 & Mask51;
        lo4 += (lo3 >> 51) + (hi3 << 3);
        var r4 = lo4 & Mask51;
        var carry = (lo4 >> 51) + (hi4 << 3);
        r0 += carry * 19;
        r1 += r0 >> 51;
        r0 &= Mask51;
        return new FieldElement(r0, r1, r2, r3, r4);
    }
}
