// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Numerics;
using Chhaya.Safety;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// Arithmetic modulo the edwards25519 group order L = 2^252 + 27742317777372353535851937790883648493, in
/// constant time: Montgomery multiplication (CIOS, four 64-bit limbs, R = 2^256) with a mask-based final
/// subtraction. Scalars are 32-byte little-endian strings.
/// </summary>
internal static class Scalar
{
    private static readonly ulong[] Order = ToLimbs(L);

    // R mod L and R² mod L: REDC(a·R) = a mod L and REDC(a·R²) = a·R mod L.
    private static readonly ulong[] R1 = ToLimbs(BigInteger.ModPow(2, 256, L));
    private static readonly ulong[] R2 = ToLimbs(BigInteger.ModPow(2, 512, L));

    // −L⁻¹ mod 2^64.
    private static readonly ulong MontgomeryFactor = ComputeFactor();

    /// <summary>The group order L (public constant).</summary>
    public static BigInteger L => (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reduces a 64-byte little-endian integer (a SHA-512 output) mod L into 32 bytes.</summary>
    public static void Reduce512(ReadOnlySpan<byte> wide, Span<byte> destination)
    {
        Guard.ExactLength(wide.Length, 64, nameof(wide));
        Guard.ExactLength(destination.Length, 32, nameof(destination));
        Span<ulong> lo = stackalloc ulong[4];
        Span<ulong> hi = stackalloc ulong[4];
        Span<ulong> a = stackalloc ulong[4];
        Span<ulong> b = stackalloc ulong[4];
        Load(wide[..32], lo);
        Load(wide[32..], hi);

        // wide = lo + hi·R, so wide mod L = REDC(lo·R) + REDC(hi·R²) (each REDC divides by R once).
        MontMul(lo, R1, a);
        MontMul(hi, R2, b);
        AddMod(a, b, a);
        Store(a, destination);
        lo.Clear();
        hi.Clear();
        a.Clear();
        b.Clear();
    }

    /// <summary>(k + c·x) mod L for 32-byte little-endian k, c, x with k &lt; L and x, c below 2^256.</summary>
    public static void MulAdd(ReadOnlySpan<byte> c, ReadOnlySpan<byte> x, ReadOnlySpan<byte> k, Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, 32, nameof(destination));
        Span<ulong> cl = stackalloc ulong[4];
        Span<ulong> xl = stackalloc ulong[4];
        Span<ulong> kl = stackalloc ulong[4];
        Span<ulong> t = stackalloc ulong[4];
        Load(c, cl);
        Load(x, xl);
        Load(k, kl);

        // x may exceed L (a clamped key is below 2^255); bring it below L first: REDC(x·R) = x mod L.
        MontMul(xl, R1, xl);
        MontMul(cl, xl, t); // c·x·R⁻¹
        MontMul(t, R2, t); // c·x
        AddMod(t, kl, t);
        Store(t, destination);
        cl.Clear();
        xl.Clear();
        kl.Clear();
        t.Clear();
    }

    /// <summary>True when the 32-byte little-endian value is below L. Public data only (proof scalars).</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> s) => s.Length == 32 && Ed25519Encoding.IsCanonicalScalar(s);

    /// <summary>
    /// Montgomery product a·b·R⁻¹ mod L for a &lt; 2^256, b &lt; L (the result is below L).
    /// Coarsely integrated operand scanning; <paramref name="result"/> may alias an input.
    /// </summary>
    private static void MontMul(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result)
    {
        Span<ulong> t = stackalloc ulong[6];
        t.Clear();
        for (var i = 0; i < 4; i++)
        {
            ulong carry = 0;
            for (var j = 0; j < 4; j++)
            {
                (carry, t[j]) = MulAddCarry(a[j], b[i], t[j], carry);
            }

            var s4 = t[4] + carry;
            t[5] = Wide.CarryOut(t[4], carry, s4);
            t[4] = s4;

            var m = t[0] * MontgomeryFactor;
            (carry, _) = MulAddCarry(m, Order[0], t[0], 0);
            for (var j = 1; j < 4; j++)
            {
                (carry, t[j - 1]) = MulAddCarry(m, Order[j], t[j], carry);
            }

            var s3 = t[4] + carry;
            t[3] = s3;
            t[4] = t[5] + Wide.CarryOut(t[4], carry, s3);
        }

        ConditionalSubtractOrder(t[..5], result);
        t.Clear();
    }

    /// <summary>(a + b) mod L for a, b &lt; L.</summary>
    private static void AddMod(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result)
    {
        Span<ulong> t = stackalloc ulong[5];
        ulong carry = 0;
        for (var i = 0; i < 4; i++)
        {
            var s1 = a[i] + b[i];
            var s2 = s1 + carry;
            carry = Wide.CarryOut(a[i], b[i], s1) | Wide.CarryOut(s1, carry, s2);
            t[i] = s2;
        }

        t[4] = carry;
        ConditionalSubtractOrder(t, result);
    }

    /// <summary>result = t − L if t ≥ L else t, for t &lt; 2L given as five limbs; no branch on t.</summary>
    private static void ConditionalSubtractOrder(ReadOnlySpan<ulong> t, Span<ulong> result)
    {
        Span<ulong> d = stackalloc ulong[4];
        ulong borrow = 0;
        for (var i = 0; i < 4; i++)
        {
            var d1 = t[i] - Order[i];
            var d2 = d1 - borrow;
            borrow = Wide.BorrowOut(t[i], Order[i], d1) | Wide.BorrowOut(d1, borrow, d2);
            d[i] = d2;
        }

        // t ≥ L exactly when the subtraction through the fifth limb does not borrow.
        var top = t[4] - borrow;
        var keepT = ConstantTime.MaskFromBit(Wide.BorrowOut(t[4], borrow, top));
        for (var i = 0; i < 4; i++)
        {
            result[i] = d[i] ^ (keepT & (t[i] ^ d[i]));
        }
    }

    private static (ulong Carry, ulong Low) MulAddCarry(ulong a, ulong b, ulong c, ulong d) => Wide.MulAddAdd(a, b, c, d);

    private static void Load(ReadOnlySpan<byte> s, Span<ulong> limbs)
    {
        Guard.ExactLength(s.Length, 32, nameof(s));
        for (var i = 0; i < 4; i++)
        {
            limbs[i] = BinaryPrimitives.ReadUInt64LittleEndian(s[(8 * i)..]);
        }
    }

    private static void Store(ReadOnlySpan<ulong> limbs, Span<byte> s)
    {
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(s[(8 * i)..], limbs[i]);
        }
    }

    private static ulong[] ToLimbs(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        value.TryWriteBytes(bytes, out _, isUnsigned: true);
        var limbs = new ulong[4];
        Load(bytes, limbs);
        return limbs;
    }

    private static ulong ComputeFactor()
    {
        // Newton iteration for L⁻¹ mod 2^64 (L is odd); each step doubles the correct low bits.
        var l0 = ToLimbs(L)[0];
        var inv = l0;
        for (var i = 0; i < 6; i++)
        {
            inv *= 2 - (l0 * inv);
        }

        return 0 - inv;
    }
}
