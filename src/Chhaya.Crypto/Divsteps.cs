// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Chhaya.Crypto;

/// <summary>
/// The parts of Bernstein–Yang "divsteps" inversion that do not depend on the modulus or the limb count:
/// the variable-time batch of 62 steps on the low words, and small helpers on signed radix-2^62 limbs.
/// Shared by the curve25519 inverse (<see cref="Edwards.DivstepInverse"/>) and the BLS12-381 one in
/// Chhaya.Bls; both only ever run it on public or blinded values.
/// </summary>
internal static class Divsteps
{
    /// <summary>
    /// 62 divsteps on the low 62 bits of f and g (f odd), as the matrix (u v; q r) scaled by 2^62:
    /// f' = (u·f + v·g)/2^62, g' = (q·f + r·g)/2^62. η = −δ of Bernstein–Yang. Runs of zeros at the bottom of g
    /// are skipped in one shift, and up to 4 (6 right after a swap) steps without a swap are done in one
    /// addition g += w·f, with w ≡ −g/f chosen to clear that many low bits, which is exactly what the single
    /// steps would have done, so the Bernstein–Yang bounds and |u| + |v| ≤ 2^62 hold as for plain divsteps.
    /// </summary>
    public static long Batch62(long eta, ulong f, ulong g, out long u, out long v, out long q, out long r)
    {
        ulong uu = 1, vv = 0, qq = 0, rr = 1;
        var i = 62;
        while (true)
        {
            // Zeros at the bottom of g, at most i of them: each is one divstep that only halves g.
            var zeros = BitOperations.TrailingZeroCount(g | (ulong.MaxValue << i));
            g >>= zeros;
            uu <<= zeros;
            vv <<= zeros;
            eta -= zeros;
            i -= zeros;
            if (i == 0)
            {
                break;
            }

            // g is odd. With η < 0 (δ > 0) the divstep swaps: (f, g) ← (g, −f), η ← −η.
            // At most η + 1 steps (η as it is after a swap, |η|) go by without a swap, and at most i remain.
            ulong w;
            var limit = (int)Math.Min(Math.Abs(eta) + 1, i);
            if (eta < 0)
            {
                eta = -eta;
                (f, g) = (g, 0 - f);
                (uu, qq) = (qq, 0 - uu);
                (vv, rr) = (rr, 0 - vv);

                // The next min(η + 1, i) steps cannot swap: clear up to 6 bits with w = −g·f^-1 mod 2^6, using
                // f^-1 ≡ f·(2 − f²) (mod 64) for odd f, so −g·f^-1 ≡ g·f·(f² − 2).
                var m = (ulong.MaxValue >> (64 - limit)) & 63;
                w = (f * g * ((f * f) - 2)) & m;
            }
            else
            {
                // Up to 4 bits: f^-1 mod 16 is f + (((f + 1) & 4) << 1) for odd f.
                var m = (ulong.MaxValue >> (64 - limit)) & 15;
                w = f + (((f + 1) & 4) << 1);
                w = (0 - (w * g)) & m;
            }

            g += f * w;
            qq += uu * w;
            rr += vv * w;
        }

        u = (long)uu;
        v = (long)vv;
        q = (long)qq;
        r = (long)rr;
        return eta;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong High(ulong a, ulong b) =>
        Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);

    /// <summary>
    /// Drops the top limb when it is only the sign extension of the one below for both f and g (as f and g
    /// shrink, the later batches touch fewer limbs).
    /// </summary>
    public static int Shrink(Span<long> f, Span<long> g, int len)
    {
        if (len < 2)
        {
            return len;
        }

        long fn = f[len - 1], gn = g[len - 1];
        if (((fn ^ (fn >> 63)) | (gn ^ (gn >> 63))) != 0)
        {
            return len;
        }

        f[len - 2] |= fn << 62;
        g[len - 2] |= gn << 62;
        return len - 1;
    }

    public static bool IsZero(ReadOnlySpan<long> x)
    {
        long acc = 0;
        foreach (var limb in x)
        {
            acc |= limb;
        }

        return acc == 0;
    }
}
