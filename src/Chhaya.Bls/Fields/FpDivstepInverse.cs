// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;

using Chhaya.Crypto;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Variable-time inversion modulo the BLS12-381 base-field prime p by the "divsteps" of Bernstein and Yang
/// ("Fast constant-time gcd computation and modular inversion", CHES 2019), in batches of 62 steps applied as
/// 2×2 matrices, with the variable-time batch and the signed radix-2^62 bookkeeping of the design Wuille
/// described for libsecp256k1 ("The safegcd implementation in libsecp256k1 explained"). Its running time
/// depends on the input: public or blinded values only (<see cref="Fp.InvertVartime"/>).
/// </summary>
/// <remarks>
/// <para>State: f, g (f = p, g = A at the start, A the integer in the limbs given) and d, e with f·R² ≡ d·A
/// and g·R² ≡ e·A (mod p) (d = 0, e = R² at the start), all as seven signed limbs of 62 bits (value
/// Σ xᵢ·2^(62i), limbs below the top one in [0, 2^62), the top one signed). Each batch computes, from the low 62 bits of f and g alone, the matrix that
/// the next 62 divsteps apply, scaled by 2^62; the full f and g are multiplied by it and divided by 2^62
/// exactly, d and e are multiplied by it and divided by 2^62 modulo p (a multiple of p is added first to clear
/// the low 62 bits: a Montgomery reduction step of radix 2^62). When g reaches 0, f = ±gcd(p, A), which is ±1
/// unless p divides A, and ±d is A^-1·R² mod p: for the Montgomery form A = a·R, that is a^-1·R, the Montgomery
/// form of the inverse, with no multiplication left to do.</para>
/// <para>Bound: Bernstein–Yang theorem 11.2 with f² + 4g² ≤ 5·2^(2·385) (A below 2^385) gives g = 0 after at
/// most ⌈(49·385 + 57)/17⌉ = 1114 divsteps, so 18 batches of 62. Random inputs finish in about 13.</para>
/// </remarks>
internal static class FpDivstepInverse
{
    private const long M62 = (1L << 62) - 1;
    private const int Limbs = 7;
    private const int MaxBatches = 18;

    // p in radix 2^62.
    private const long Q0 = 0x39feffffffffaaab;
    private const long Q1 = 0x3aaffffac54ffffe;
    private const long Q2 = 0x330d2a0f6b0f6241;
    private const long Q3 = 0x1dd2e13ce144afd9;
    private const long Q4 = 0x1ba7b6434bacd764;
    private const long Q5 = 0x0447a8e5ff9a692c;
    private const long Q6 = 0x1a0;

    /// <summary>
    /// p in balanced radix 2^62 (limbs in [−2^61, 2^61)), for adding multiples of p to d and e: the factor can
    /// approach −2^63, and with limbs this small each limb's sum of products stays below 2^125 in magnitude, so
    /// its carry fits a signed 64-bit word.
    /// </summary>
    internal static ReadOnlySpan<long> BalancedModulus62 =>
    [
        -0x601000000005555, -0x55000053ab00001, -0xcf2d5f094f09dbe, 0x1dd2e13ce144afda, 0x1ba7b6434bacd764,
        0x447a8e5ff9a692c, 0x1a0,
    ];

    /// <summary>p^-1 mod 2^62: picks the multiple of p that clears the low 62 bits of d and e.</summary>
    internal const ulong PInv62 = 0x360c000300030003;

    /// <summary>p as radix-2^62 limbs (every limb below 2^62): the starting f, and what normalisation adds.</summary>
    internal static ReadOnlySpan<long> Modulus62 => [Q0, Q1, Q2, Q3, Q4, Q5, Q6];

    /// <summary>
    /// The inverse of <paramref name="a"/> in Montgomery form: for the integer A held in its limbs (each limb below
    /// 2^55, so any A below 2^385, reduced or not), A^-1·R² mod p, fully reduced. With A = a·R that is a^-1·R.
    /// False, with a zero result, when p divides A.
    /// </summary>
    public static bool TryInvert(in Fp a, out Fp inverse)
    {
        Span<long> state = stackalloc long[5 * Limbs];
        var f = state[..Limbs];
        var g = state[Limbs..(2 * Limbs)];
        var d = state[(2 * Limbs)..(3 * Limbs)];
        var e = state[(3 * Limbs)..(4 * Limbs)];
        var scratch = state[(4 * Limbs)..];
        Modulus62.CopyTo(f);
        FromLimbs55(a, g);
        FromLimbs55(Fp.R2, e);

        long eta = -1;
        var len = Limbs;
        var batch = 0;
        while (true)
        {
            if (batch++ == MaxBatches)
            {
                throw new UnreachableException("divsteps did not reach g = 0 within the Bernstein–Yang bound");
            }

            eta = Divsteps.Batch62(eta, (ulong)f[0], (ulong)g[0], out var u, out var v, out var q, out var r);
            UpdateFg(f[..len], g[..len], scratch, u, v, q, r);
            if (Divsteps.IsZero(g[..len]))
            {
                // After the last batch only d is still needed.
                UpdateD(d, e, u, v);
                break;
            }

            UpdateDe(d, e, scratch, u, v, q, r);
            len = Divsteps.Shrink(f, g, len);
        }

        // f = ±gcd(p, A): ±1, or ±p when p divides A (then there is no inverse and d means nothing).
        var sign = f[len - 1] >> 63;
        if (!IsOne(f[..len], sign))
        {
            inverse = default;
            return false;
        }

        inverse = Normalize(d, sign);
        return true;
    }

    /// <summary>
    /// (f, g) ← ((u·f + v·g)/2^62, (q·f + r·g)/2^62) on the current limbs (exact divisions: the matrix clears the
    /// low 62 bits). f' goes through <paramref name="scratch"/> because g' is computed from the old f.
    /// </summary>
    private static void UpdateFg(Span<long> f, Span<long> g, Span<long> scratch, long u, long v, long q, long r)
    {
        Combine(f, g, u, v, scratch);
        Combine(f, g, q, r, g);
        scratch[..f.Length].CopyTo(f);
    }

    /// <summary>
    /// destination ← (a·x + b·y)/2^62 on the limbs of x, the low 62 bits of the sum being zero.
    /// <paramref name="destination"/> may be <paramref name="y"/>: limb i − 1 is written after limb i is read.
    /// </summary>
    /// <remarks>
    /// Each 128-bit product is taken as its 62-bit halves with no 128-bit type: the high word from mulx,
    /// corrected for the operands' signs, and the low word from an ordinary multiplication. Below the top limb
    /// (in [0, 2^62)) the limb is taken times 4, so the corrected high word is the product shifted right by 62
    /// and the low word shifted right by 2 the product mod 2^62. The top limb is signed and, once the limb count
    /// has shrunk, may use all 64 bits, so there a·x mod 2^62 is the low word's bottom 62 bits and a·x &gt;&gt; 62
    /// is 4·high + (low &gt;&gt; 62). One output per pass keeps the live values within the registers.
    /// </remarks>
    private static void Combine(ReadOnlySpan<long> x, ReadOnlySpan<long> y, long a, long b, Span<long> destination)
    {
        var len = x.Length;
        y = y[..len];
        destination = destination[..len];
        long sa = a >> 63, sb = b >> 63;
        long c = 0;
        for (var i = 0; i < len - 1; i++)
        {
            ulong xi = (ulong)x[i] << 2, yi = (ulong)y[i] << 2;
            var low = (((ulong)a * xi) >> 2) + (((ulong)b * yi) >> 2) + ((ulong)c & M62);
            c = (long)(Divsteps.High((ulong)a, xi) + Divsteps.High((ulong)b, yi))
                - (sa & (long)xi) - (sb & (long)yi) + (c >> 62) + (long)(low >> 62);
            if (i > 0)
            {
                destination[i - 1] = (long)(low & M62);
            }
            else
            {
                Debug.Assert((low & M62) == 0, "divsteps matrix left low bits");
            }
        }

        long xt = x[len - 1], yt = y[len - 1];
        var l1 = (ulong)(a * xt);
        var l2 = (ulong)(b * yt);
        var h = (long)(Divsteps.High((ulong)a, (ulong)xt) + Divsteps.High((ulong)b, (ulong)yt))
            - (sa & xt) - (sb & yt) - ((xt >> 63) & a) - ((yt >> 63) & b);
        var lo = (l1 & M62) + (l2 & M62) + ((ulong)c & M62);
        c = (h << 2) + (long)(l1 >> 62) + (long)(l2 >> 62) + (c >> 62) + (long)(lo >> 62);
        if (len > 1)
        {
            destination[len - 2] = (long)(lo & M62);
        }
        else
        {
            Debug.Assert((lo & M62) == 0, "divsteps matrix left low bits");
        }

        destination[len - 1] = c;
    }

    /// <summary>
    /// (d, e) ← ((u·d + v·e + md·p)/2^62, (q·d + r·e + me·p)/2^62) for d and e in (−2p, p), with md and me chosen
    /// so the low 62 bits vanish: a negative d (or e) first counts as itself plus p (md starts at u (or v)), then
    /// md is lowered by (p^-1·(u·d + v·e + md·p) mod 2^62). With |u| + |v| ≤ 2^62 the results are in (−2p, p)
    /// again (Wuille's analysis for libsecp256k1), and md is in (−2^63, 2^62]. d' goes through
    /// <paramref name="scratch"/> because e' is computed from the old d.
    /// </summary>
    private static void UpdateDe(Span<long> d, Span<long> e, Span<long> scratch, long u, long v, long q, long r)
    {
        long sd = d[Limbs - 1] >> 63, se = e[Limbs - 1] >> 63;
        var md = (u & sd) + (v & se);
        var me = (q & sd) + (r & se);
        long d0 = d[0], e0 = e[0];
        md -= (long)((PInv62 * ((ulong)(u * d0) + (ulong)(v * e0))) + (ulong)md) & M62;
        me -= (long)((PInv62 * ((ulong)(q * d0) + (ulong)(r * e0))) + (ulong)me) & M62;
        CombineModP(d, e, u, v, md, scratch);
        CombineModP(d, e, q, r, me, e);
        scratch.CopyTo(d);
        CheckRange(d);
        CheckRange(e);
    }

    /// <summary>d ← (u·d + v·e + md·p)/2^62 alone (the last batch), with md chosen as in <see cref="UpdateDe"/>.</summary>
    private static void UpdateD(Span<long> d, ReadOnlySpan<long> e, long u, long v)
    {
        var md = (u & (d[Limbs - 1] >> 63)) + (v & (e[Limbs - 1] >> 63));
        md -= (long)((PInv62 * ((ulong)(u * d[0]) + (ulong)(v * e[0]))) + (ulong)md) & M62;
        CombineModP(e, d, v, u, md, d);
        CheckRange(d);
    }

    /// <summary>
    /// destination ← (a·x + b·y + m·p)/2^62 for seven-limb x and y (limbs below the top one non-negative, the top
    /// one small: x and y are in (−2p, p)), m being the multiple of p that clears the low 62 bits. p is taken in
    /// balanced limbs (<see cref="BalancedModulus62"/>): m can approach −2^63, and with |pᵢ| ≤ 2^61 each limb's
    /// sum stays below 2^125 in magnitude, so its carry fits a signed word. <paramref name="destination"/> may
    /// be y.
    /// </summary>
    /// <remarks>
    /// Every second factor is taken times 4 (it fits: limbs are below 2^62, p's balanced limbs below 2^61 in
    /// magnitude, the top limbs are small), so the high word of each product, corrected for the signs, is
    /// already the product shifted right by 62 and the low word shifted right by 2 is the product mod 2^62:
    /// the split costs one shift per product.
    /// </remarks>
    internal static void CombineModP(ReadOnlySpan<long> x, ReadOnlySpan<long> y, long a, long b, long m, Span<long> destination)
    {
        x = x[..Limbs];
        y = y[..Limbs];
        destination = destination[..Limbs];
        var modulus = BalancedModulus62;
        _ = modulus[Limbs - 1];
        long sa = a >> 63, sb = b >> 63, sm = m >> 63;

        // Limbs 0 to 5 of x and y are in [0, 2^62): 4x is below 2^64, a non-negative factor.
        ulong xi = (ulong)x[0] << 2, yi = (ulong)y[0] << 2;
        var pi = modulus[0] << 2;
        var lo = (((ulong)a * xi) >> 2) + (((ulong)b * yi) >> 2) + (((ulong)m * (ulong)pi) >> 2);
        Debug.Assert((lo & M62) == 0, "multiple of p did not clear the low bits");
        var c = (long)(Divsteps.High((ulong)a, xi) + Divsteps.High((ulong)b, yi) + Divsteps.High((ulong)m, (ulong)pi))
            - (sa & (long)xi) - (sb & (long)yi) - (sm & pi) - ((pi >> 63) & m) + (long)(lo >> 62);
        for (var i = 1; i < Limbs - 1; i++)
        {
            xi = (ulong)x[i] << 2;
            yi = (ulong)y[i] << 2;
            pi = modulus[i] << 2;
            lo = (((ulong)a * xi) >> 2) + (((ulong)b * yi) >> 2) + (((ulong)m * (ulong)pi) >> 2) + ((ulong)c & M62);
            c = (long)(Divsteps.High((ulong)a, xi) + Divsteps.High((ulong)b, yi) + Divsteps.High((ulong)m, (ulong)pi))
                - (sa & (long)xi) - (sb & (long)yi) - (sm & pi) - ((pi >> 63) & m) + (c >> 62) + (long)(lo >> 62);
            destination[i - 1] = (long)(lo & M62);
        }

        // The top limbs are signed and small (x, y in (−2p, p)), p's is positive.
        long xt = x[Limbs - 1] << 2, yt = y[Limbs - 1] << 2;
        pi = modulus[Limbs - 1] << 2;
        lo = ((ulong)(a * xt) >> 2) + ((ulong)(b * yt) >> 2) + ((ulong)(m * pi) >> 2) + ((ulong)c & M62);
        c = (long)(Divsteps.High((ulong)a, (ulong)xt) + Divsteps.High((ulong)b, (ulong)yt) + Divsteps.High((ulong)m, (ulong)pi))
            - (sa & xt) - (sb & yt) - (sm & pi) - ((xt >> 63) & a) - ((yt >> 63) & b) + (c >> 62) + (long)(lo >> 62);
        destination[Limbs - 2] = (long)(lo & M62);
        destination[Limbs - 1] = c;
    }

    /// <summary>True when the signed radix-2^62 value f, whose sign mask is <paramref name="sign"/>, is ±1.</summary>
    private static bool IsOne(ReadOnlySpan<long> f, long sign)
    {
        long c = 0, differs = 0;
        for (var i = 0; i < f.Length; i++)
        {
            c += (f[i] ^ sign) - sign;
            var limb = i == f.Length - 1 ? c : c & M62;
            differs |= i == 0 ? limb ^ 1 : limb;
            c >>= 62;
        }

        return differs == 0;
    }

    /// <summary>The DEBUG check of the invariant d, e ∈ (−2p, p), on the top limb (p's top limb is 0x1a0).</summary>
    [Conditional("DEBUG")]
    private static void CheckRange(ReadOnlySpan<long> x) =>
        Debug.Assert(x[Limbs - 1] >= -2 * Q6 - 1 && x[Limbs - 1] <= Q6, "d or e left (-2p, p)");

    /// <summary>Regroups seven 55-bit limbs (a value below 2^385) into seven radix-2^62 limbs.</summary>
    private static void FromLimbs55(in Fp a, Span<long> x)
    {
        _ = x[Limbs - 1];
        x[0] = (long)(a.L0 | (a.L1 << 55)) & M62;
        x[1] = (long)((a.L1 >> 7) | (a.L2 << 48)) & M62;
        x[2] = (long)((a.L2 >> 14) | (a.L3 << 41)) & M62;
        x[3] = (long)((a.L3 >> 21) | (a.L4 << 34)) & M62;
        x[4] = (long)((a.L4 >> 28) | (a.L5 << 27)) & M62;
        x[5] = (long)((a.L5 >> 35) | (a.L6 << 20)) & M62;
        x[6] = (long)(a.L6 >> 42);
    }

    /// <summary>±d (the sign mask chooses −) for d in (−2p, p), reduced into [0, p), as seven 55-bit limbs.</summary>
    private static Fp Normalize(Span<long> d, long sign)
    {
        _ = d[Limbs - 1];
        if (d[Limbs - 1] < 0)
        {
            AddModulus(d);
        }

        // d is in (−p, p) now, and so is −d.
        if (sign != 0)
        {
            Negate(d);
        }

        if (d[Limbs - 1] < 0)
        {
            AddModulus(d);
        }

        long n0 = d[0], n1 = d[1], n2 = d[2], n3 = d[3], n4 = d[4], n5 = d[5], n6 = d[6];
        Debug.Assert(n6 >= 0 && n6 <= Q6, "normalised inverse out of range");
        return new Fp(
            (ulong)n0 & Fp.Mask55,
            ((ulong)n0 >> 55 | (ulong)n1 << 7) & Fp.Mask55,
            ((ulong)n1 >> 48 | (ulong)n2 << 14) & Fp.Mask55,
            ((ulong)n2 >> 41 | (ulong)n3 << 21) & Fp.Mask55,
            ((ulong)n3 >> 34 | (ulong)n4 << 28) & Fp.Mask55,
            ((ulong)n4 >> 27 | (ulong)n5 << 35) & Fp.Mask55,
            (ulong)n5 >> 20 | (ulong)n6 << 42);
    }

    /// <summary>x ← x + p, limbs carried (each limb sum is below 2^63).</summary>
    private static void AddModulus(Span<long> x)
    {
        var modulus = Modulus62;
        long c = 0;
        for (var i = 0; i < Limbs - 1; i++)
        {
            c += x[i] + modulus[i];
            x[i] = c & M62;
            c >>= 62;
        }

        x[Limbs - 1] += c + modulus[Limbs - 1];
    }

    /// <summary>x ← −x, limbs carried.</summary>
    private static void Negate(Span<long> x)
    {
        long c = 0;
        for (var i = 0; i < Limbs - 1; i++)
        {
            c -= x[i];
            x[i] = c & M62;
            c >>= 62;
        }

        x[Limbs - 1] = c - x[Limbs - 1];
    }
}
