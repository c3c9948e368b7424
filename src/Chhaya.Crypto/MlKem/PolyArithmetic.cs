// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Crypto.MlKem;

/// <summary>
/// Arithmetic in R_q = Z_q[X]/(X^256 + 1), q = 3329, and its NTT domain T_q (FIPS 203 §4.3): the NTT and its
/// inverse (Algorithms 9 and 10) and MultiplyNTTs / BaseCaseMultiply (Algorithms 11 and 12).
/// </summary>
/// <remarks>
/// <para>Coefficients are <see cref="short"/>s in a signed, not necessarily reduced, representation; every product
/// goes through Montgomery reduction (R = 2^16) and sums are brought back with Barrett reduction, with no
/// division and no branch on coefficient values, so the same instructions run whatever the secret.</para>
/// <para>Bounds the code relies on (checked by the tests against a plain mod-q reference): NTT input |a| ≤ q,
/// each of its 7 layers adds at most q, so |a| &lt; 8q &lt; 2^15 before the final Barrett reduction; inverse-NTT
/// input |a| ≤ q; <see cref="MontgomeryReduce"/> needs |a| &lt; q · 2^15 and returns |r| &lt; q.</para>
/// <para>The NTT-domain products carry a factor R^-1 (each <see cref="FqMul"/> divides by R). The inverse NTT's
/// final scaling by 1441 = R^2 / 128 mod q cancels it together with FIPS 203's 1/128, and key generation
/// multiplies by R^2 (<see cref="ToMontgomery"/>) instead.</para>
/// </remarks>
internal static class PolyArithmetic
{
    public const int N = 256;
    public const short Q = 3329;

    // q^-1 mod 2^16, as a signed 16-bit value.
    private const int QInverse = -3327;

    // round(2^26 / q), Barrett's constant for 16-bit inputs.
    private const int BarrettMultiplier = 20159;

    // R^2 mod q and R^2 / 128 mod q (R = 2^16).
    private const short RSquared = 1353;
    private const short InverseScale = 1441;

    /// <summary>ζ^BitRev7(i) · R mod q, centred, for i = 0..127 (ζ = 17, FIPS 203 §4.3).</summary>
    private static readonly short[] Zetas = BuildZetas(gammas: false);

    /// <summary>ζ^(2·BitRev7(i)+1) · R mod q, centred: BaseCaseMultiply's γ for the pair i (Algorithm 11).</summary>
    private static readonly short[] Gammas = BuildZetas(gammas: true);

    /// <summary>a · R^-1 mod q in (−q, q), for |a| &lt; q · 2^15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short MontgomeryReduce(int a)
    {
        var t = (short)(a * QInverse);
        return (short)((a - (t * Q)) >> 16);
    }

    /// <summary>The representative of a mod q in [−(q−1)/2, (q−1)/2].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short BarrettReduce(short a)
    {
        var t = ((BarrettMultiplier * a) + (1 << 25)) >> 26;
        return (short)(a - (t * Q));
    }

    /// <summary>a · b · R^-1 mod q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short FqMul(short a, short b) => MontgomeryReduce(a * b);

    /// <summary>The representative in [0, q) of an input in (−q, q), without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short ToUnsigned(short a) => (short)(a + ((a >> 15) & Q));

    /// <summary>NTT (Algorithm 9) in place; output Barrett-reduced.</summary>
    public static void Ntt(Span<short> f)
    {
        f = f[..N];
        var k = 1;
        for (var length = 128; length >= 2; length >>= 1)
        {
            for (var start = 0; start < N; start += 2 * length)
            {
                var zeta = Zetas[k++];
                var low = f.Slice(start, length);
                var high = f.Slice(start + length, length);
                for (var j = 0; j < low.Length; j++)
                {
                    var t = FqMul(zeta, high[j]);
                    high[j] = (short)(low[j] - t);
                    low[j] = (short)(low[j] + t);
                }
            }
        }

        Reduce(f);
    }

    /// <summary>
    /// NTT^-1 (Algorithm 10) in place, including its multiplication by 128^-1, for input produced by
    /// <see cref="MultiplyAccumulate"/> (so carrying R^-1, which the final scaling also removes).
    /// </summary>
    public static void InverseNtt(Span<short> f)
    {
        f = f[..N];
        var k = 127;
        for (var length = 2; length <= 128; length <<= 1)
        {
            for (var start = 0; start < N; start += 2 * length)
            {
                var zeta = Zetas[k--];
                var low = f.Slice(start, length);
                var high = f.Slice(start + length, length);
                for (var j = 0; j < low.Length; j++)
                {
                    var t = low[j];
                    low[j] = BarrettReduce((short)(t + high[j]));
                    high[j] = FqMul(zeta, (short)(high[j] - t));
                }
            }
        }

        for (var j = 0; j < N; j++)
        {
            f[j] = FqMul(f[j], InverseScale);
        }
    }

    /// <summary>
    /// accumulator += a × b in T_q (MultiplyNTTs, Algorithm 11), the product carrying R^-1. With
    /// <paramref name="overwrite"/> the accumulator is set instead of added to.
    /// </summary>
    public static void MultiplyAccumulate(Span<short> accumulator, ReadOnlySpan<short> a, ReadOnlySpan<short> b, bool overwrite)
    {
        accumulator = accumulator[..N];
        a = a[..N];
        b = b[..N];
        var gammas = Gammas;
        for (var i = 0; i < N / 2; i++)
        {
            var a0 = a[2 * i];
            var a1 = a[(2 * i) + 1];
            var b0 = b[2 * i];
            var b1 = b[(2 * i) + 1];

            // BaseCaseMultiply (Algorithm 12): (a0 + a1 X)(b0 + b1 X) mod (X^2 − γ).
            var c0 = FqMul(a0, b0) + FqMul(FqMul(a1, b1), gammas[i]);
            var c1 = FqMul(a0, b1) + FqMul(a1, b0);
            if (overwrite)
            {
                accumulator[2 * i] = (short)c0;
                accumulator[(2 * i) + 1] = (short)c1;
            }
            else
            {
                accumulator[2 * i] = (short)(accumulator[2 * i] + c0);
                accumulator[(2 * i) + 1] = (short)(accumulator[(2 * i) + 1] + c1);
            }
        }
    }

    /// <summary>Barrett-reduces every coefficient.</summary>
    public static void Reduce(Span<short> f)
    {
        for (var j = 0; j < f.Length; j++)
        {
            f[j] = BarrettReduce(f[j]);
        }
    }

    /// <summary>Multiplies every coefficient by R (removing the R^-1 a product left), reduced below q in magnitude.</summary>
    public static void ToMontgomery(Span<short> f)
    {
        for (var j = 0; j < f.Length; j++)
        {
            f[j] = FqMul(f[j], RSquared);
        }
    }

    /// <summary>f += g, coefficient-wise, unreduced (callers keep the sums within 16 bits).</summary>
    public static void Add(Span<short> f, ReadOnlySpan<short> g)
    {
        g = g[..f.Length];
        for (var j = 0; j < f.Length; j++)
        {
            f[j] = (short)(f[j] + g[j]);
        }
    }

    /// <summary>f = g − f, coefficient-wise, unreduced.</summary>
    public static void SubtractFrom(Span<short> f, ReadOnlySpan<short> g)
    {
        g = g[..f.Length];
        for (var j = 0; j < f.Length; j++)
        {
            f[j] = (short)(g[j] - f[j]);
        }
    }

    private static short[] BuildZetas(bool gammas)
    {
        var table = new short[128];
        for (var i = 0; i < 128; i++)
        {
            var reversed = BitReverse7(i);
            var exponent = gammas ? (2 * reversed) + 1 : reversed;
            var value = 1;
            for (var e = 0; e < exponent; e++)
            {
                value = value * 17 % Q;
            }

            // Montgomery form, centred in (−q/2, q/2] so products with 16-bit values stay within MontgomeryReduce's range.
            var montgomery = (int)((long)value * 65536 % Q);
            table[i] = (short)(montgomery > Q / 2 ? montgomery - Q : montgomery);
        }

        return table;
    }

    private static int BitReverse7(int i)
    {
        var r = 0;
        for (var b = 0; b < 7; b++)
        {
            r |= ((i >> b) & 1) << (6 - b);
        }

        return r;
    }
}
