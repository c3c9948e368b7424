// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// Variable-time inversion modulo p = 2^255 − 19 by the "divsteps" of Bernstein and Yang ("Fast
/// constant-time gcd computation and modular inversion", CHES 2019), in batches of 62 steps applied as
/// 2×2 matrices, with the variable-time batch and the signed radix-2^62 bookkeeping of the design Wuille
/// described for libsecp256k1 ("The safegcd implementation in libsecp256k1 explained"). Its running time
/// depends on the input: call it only on public or blinded values (<see cref="FieldElement.InvertBlinded"/>).
/// </summary>
/// <remarks>
/// State: f, g (f = p, g = a at the start) and d, e with f ≡ d·a and g ≡ e·a (mod p), all as five signed
/// limbs of 62 bits (value Σ xᵢ·2^(62i), limbs 0–3 in [0, 2^62), the top limb signed). Each batch computes,
/// from the low 62 bits of f and g alone, the matrix that 62 divsteps apply, scaled by 2^62; the full f, g are
/// multiplied by it and divided by 2^62 exactly, d and e are multiplied by it and divided by 2^62 modulo p (a
/// multiple of p is added first to clear the low 62 bits). When g reaches 0, f = ±1 = gcd(p, a), so ±d is
/// the inverse. Bernstein–Yang's bound (739 divsteps for 255-bit inputs) caps the loop at 12 batches.
/// </remarks>
internal static class DivstepInverse
{
    private const long M62 = (1L << 62) - 1;
    private const int MaxBatches = 12;

    /// <summary>p^−1 mod 2^62; p ≡ −19 (mod 2^62), so the multiple of p that clears the low 62 bits is cheap.</summary>
    private static readonly ulong PInv62 = InverseMod2To64(unchecked(0UL - 19)) & M62;

    /// <summary>
    /// The inverse of the value w0 + w1·2^64 + w2·2^128 + w3·2^192 (which must be in [1, p)) as five radix-2^51
    /// limbs of a value below 4p (congruent to the inverse, not reduced).
    /// </summary>
    public static (ulong, ulong, ulong, ulong, ulong) Invert(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        Span<long> state = stackalloc long[25];
        try
        {
            var f = state[..5];
            var g = state[5..10];
            var d = state[10..15];
            var e = state[15..20];
            var scratch = state[20..25];
            f[0] = M62 - 18;
            f[1] = M62;
            f[2] = M62;
            f[3] = M62;
            f[4] = 127;
            g[0] = (long)w0 & M62;
            g[1] = (long)((w0 >> 62) | (w1 << 2)) & M62;
            g[2] = (long)((w1 >> 60) | (w2 << 4)) & M62;
            g[3] = (long)((w2 >> 58) | (w3 << 6)) & M62;
            g[4] = (long)(w3 >> 56);
            e[0] = 1;

            long eta = -1;
            var len = 5;
            var done = false;
            for (var batch = 0; batch < MaxBatches && !done; batch++)
            {
                eta = Divsteps.Batch62(eta, (ulong)f[0], (ulong)g[0], out var u, out var v, out var q, out var r);
                UpdateFg(f, g, scratch, len, u, v, q, r);
                done = Divsteps.IsZero(g[..len]);
                len = Divsteps.Shrink(f, g, len);

                // (d, e) ← (u·d + v·e, q·d + r·e)/2^62 mod p; after the last batch only d is still needed.
                CombineModP(d, e, u, v, scratch);
                if (!done)
                {
                    CombineModP(d, e, q, r, e);
                }

                scratch.CopyTo(d);
            }

            if (!done)
            {
                throw new UnreachableException("divsteps did not reach g = 0 within the Bernstein–Yang bound");
            }

            // f = ±1: the inverse is d or −d. d is in (−2p, p), so ±d + 2p is in (0, 4p) < 2^257.
            var sign = f[len - 1] >> 63;
            Debug.Assert(IsPlusMinusOne(f[..len]), "gcd is not ±1");
            long c = ((d[0] ^ sign) - sign) - 38;
            var n0 = c & M62;
            c = (c >> 62) + ((d[1] ^ sign) - sign);
            var n1 = c & M62;
            c = (c >> 62) + ((d[2] ^ sign) - sign);
            var n2 = c & M62;
            c = (c >> 62) + ((d[3] ^ sign) - sign);
            var n3 = c & M62;
            var n4 = (c >> 62) + ((d[4] ^ sign) - sign) + 256;
            Debug.Assert(n4 >= 0 && n4 < 512, "normalised inverse out of range");
            return (
                (ulong)n0 & Mask51,
                ((ulong)n0 >> 51 | (ulong)n1 << 11) & Mask51,
                ((ulong)n1 >> 40 | (ulong)n2 << 22) & Mask51,
                ((ulong)n2 >> 29 | (ulong)n3 << 33) & Mask51,
                (ulong)n3 >> 18 | (ulong)n4 << 44);
        }
        finally
        {
            state.Clear();
        }
    }

    private const ulong Mask51 = (1UL << 51) - 1;

    /// <summary>
    /// (f, g) ← ((u·f + v·g)/2^62, (q·f + r·g)/2^62) on the low <paramref name="len"/> limbs (exact divisions);
    /// f' goes through <paramref name="scratch"/> because g' is computed from the old f.
    /// </summary>
    private static void UpdateFg(Span<long> f, Span<long> g, Span<long> scratch, int len, long u, long v, long q, long r)
    {
        Combine(f, g, u, v, scratch, len);
        Combine(f, g, q, r, g, len);
        scratch[..len].CopyTo(f);
    }

    /// <summary>
    /// destination ← (a·x + b·y)/2^62 on <paramref name="len"/> limbs, the low 62 bits of the sum being zero.
    /// <paramref name="destination"/> may be <paramref name="y"/>: limb i − 1 is written after limb i is read.
    /// </summary>
    /// <remarks>
    /// Each 128-bit product is taken as its 62-bit halves with no 128-bit type: the high word from mulx,
    /// corrected for the operands' signs, and the low word from an ordinary multiplication; a·x mod 2^62 is
    /// the low word's bottom 62 bits and a·x &gt;&gt; 62 is 4·high + (low &gt;&gt; 62). Written with plain locals:
    /// helpers returning tuples made the JIT spill every partial result to the stack.
    /// </remarks>
    private static void Combine(ReadOnlySpan<long> x, ReadOnlySpan<long> y, long a, long b, Span<long> destination, int len)
    {
        long sa = a >> 63, sb = b >> 63;
        long c = 0;
        for (var i = 0; i < len; i++)
        {
            long xi = x[i], yi = y[i];
            var l1 = (ulong)(a * xi);
            var l2 = (ulong)(b * yi);
            var h = (long)(Divsteps.High((ulong)a, (ulong)xi) + Divsteps.High((ulong)b, (ulong)yi))
                - (sa & xi) - (sb & yi) - ((xi >> 63) & a) - ((yi >> 63) & b);
            var lo = (l1 & M62) + (l2 & M62) + ((ulong)c & M62);
            c = (h << 2) + (long)(l1 >> 62) + (long)(l2 >> 62) + (c >> 62) + (long)(lo >> 62);
            if (i > 0)
            {
                destination[i - 1] = (long)(lo & M62);
            }
            else
            {
                Debug.Assert((lo & M62) == 0, "divsteps matrix left low bits");
            }
        }

        destination[len - 1] = c;
    }

    /// <summary>
    /// destination ← (a·x + b·y + m·p)/2^62 for the five-limb x, y in (−2p, p), with m chosen so the low 62
    /// bits vanish: a negative x (or y) first counts as itself plus p (m starts at a (or b)), then m is lowered
    /// by (p^−1·(a·x + b·y + m·p) mod 2^62). The result is in (−2p, p) again. p = 2^255 − 19 has limbs 1–3 all
    /// ones, so m·p is added as −19·m at limb 0 and m·2^7 at limb 4. <paramref name="destination"/> may be y.
    /// </summary>
    private static void CombineModP(ReadOnlySpan<long> x, ReadOnlySpan<long> y, long a, long b, Span<long> destination)
    {
        _ = x[4];
        _ = y[4];
        _ = destination[4];
        long sa = a >> 63, sb = b >> 63;
        var m = (a & (x[4] >> 63)) + (b & (y[4] >> 63));

        // Limb 0: all input limbs but the top one are in [0, 2^62), so only a's and b's signs need correcting.
        long xi = x[0], yi = y[0];
        var l1 = (ulong)(a * xi);
        var l2 = (ulong)(b * yi);
        m -= (long)((PInv62 * (l1 + l2)) + (ulong)m) & M62;
        var l3 = (ulong)(m * -19);
        var h = (long)(Divsteps.High((ulong)a, (ulong)xi) + Divsteps.High((ulong)b, (ulong)yi) + Divsteps.High((ulong)m, unchecked((ulong)-19)))
            - (sa & xi) - (sb & yi) - ((m >> 63) & -19) - m;
        var lo = (l1 & M62) + (l2 & M62) + (l3 & M62);
        Debug.Assert((lo & M62) == 0, "multiple of p did not clear the low bits");
        var c = (h << 2) + (long)(l1 >> 62) + (long)(l2 >> 62) + (long)(l3 >> 62) + (long)(lo >> 62);

        for (var i = 1; i < 4; i++)
        {
            xi = x[i];
            yi = y[i];
            l1 = (ulong)(a * xi);
            l2 = (ulong)(b * yi);
            h = (long)(Divsteps.High((ulong)a, (ulong)xi) + Divsteps.High((ulong)b, (ulong)yi)) - (sa & xi) - (sb & yi);
            lo = (l1 & M62) + (l2 & M62) + ((ulong)c & M62);
            c = (h << 2) + (long)(l1 >> 62) + (long)(l2 >> 62) + (c >> 62) + (long)(lo >> 62);
            destination[i - 1] = (long)(lo & M62);
        }

        // Limb 4 is signed and receives m·2^7 (low word m << 7, high word m >> 57).
        xi = x[4];
        yi = y[4];
        l1 = (ulong)(a * xi);
        l2 = (ulong)(b * yi);
        var l4 = (ulong)(m << 7);
        h = (long)(Divsteps.High((ulong)a, (ulong)xi) + Divsteps.High((ulong)b, (ulong)yi))
            - (sa & xi) - (sb & yi) - ((xi >> 63) & a) - ((yi >> 63) & b) + (m >> 57);
        lo = (l1 & M62) + (l2 & M62) + (l4 & M62) + ((ulong)c & M62);
        c = (h << 2) + (long)(l1 >> 62) + (long)(l2 >> 62) + (long)(l4 >> 62) + (c >> 62) + (long)(lo >> 62);
        destination[3] = (long)(lo & M62);
        destination[4] = c;
    }

    /// <summary>True when the signed radix-2^62 value is 1 or −1 (a DEBUG check of the final f).</summary>
    private static bool IsPlusMinusOne(ReadOnlySpan<long> f)
    {
        var sign = f[^1] >> 63;
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

    /// <summary>x^−1 mod 2^64 for odd x by Newton's iteration (each step doubles the correct low bits: 3, 6, …, 96).</summary>
    private static ulong InverseMod2To64(ulong x)
    {
        var y = x;
        for (var i = 0; i < 5; i++)
        {
            y *= 2 - (x * y);
        }

        return y;
    }
}
