// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Variable-time operations for public values only (points and field elements derived from public
/// keys, signatures and message hashes). Their running time depends on the input: never call them on
/// anything derived from a secret key.
/// </summary>
internal readonly partial struct Fp
{
    /// <summary>R^3 mod p (R = 2^385) as plain limbs: turns the plain inverse of a Montgomery value into Montgomery form.</summary>
    private static readonly Fp R3 = new(0x48635eca660eff, 0x31e81282df9078, 0x409b79b1f4bbe0, 0x330c1674e8398b, 0x732bb789c9065b, 0x5348e875510c35, 0x1cb9b5177cacd);

    /// <summary>
    /// a^-1 (0 maps to 0) by the binary extended Euclidean algorithm (Hankerson, Menezes and Vanstone,
    /// "Guide to elliptic curve cryptography", algorithm 2.22), about twenty times cheaper than the
    /// constant-time <see cref="Invert"/>. Variable time: public values only.
    /// </summary>
    /// <remarks>
    /// It works on the stored limbs A = a·R mod p as a plain integer and returns A^-1 = a^-1·R^-1; one
    /// Montgomery multiplication by R^3 gives a^-1·R, the Montgomery form of the inverse.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp InvertVartime(in Fp a)
    {
        if (a.IsZero)
        {
            return Zero;
        }

        Span<ulong> u = stackalloc ulong[6];
        ToLimbs64(a, u);
        Span<ulong> v = stackalloc ulong[6];
        Modulus64.CopyTo(v);
        var x1 = PlainOne;
        var x2 = Zero;
        while (!IsOneLimbs(u) && !IsOneLimbs(v))
        {
            while ((u[0] & 1) == 0)
            {
                ShiftRight1(u);
                x1 = HalveRaw(x1);
            }

            while ((v[0] & 1) == 0)
            {
                ShiftRight1(v);
                x2 = HalveRaw(x2);
            }

            if (!LessThan(u, v))
            {
                SubInPlace(u, v);
                x1 = Sub(x1, x2);
            }
            else
            {
                SubInPlace(v, u);
                x2 = Sub(x2, x1);
            }
        }

        return Mul(IsOneLimbs(u) ? x1 : x2, R3);
    }

    /// <summary>x/2 mod p for a plain value below p: add p when x is odd (the sum stays below 2p &lt; 2^382), then shift.</summary>
    private static Fp HalveRaw(in Fp x)
    {
        var odd = 0UL - (x.L0 & 1);
        var t = x.L0 + (P0 & odd);
        var t0 = t & Mask55;
        t = x.L1 + (P1 & odd) + (t >> 55);
        var t1 = t & Mask55;
        t = x.L2 + (P2 & odd) + (t >> 55);
        var t2 = t & Mask55;
        t = x.L3 + (P3 & odd) + (t >> 55);
        var t3 = t & Mask55;
        t = x.L4 + (P4 & odd) + (t >> 55);
        var t4 = t & Mask55;
        t = x.L5 + (P5 & odd) + (t >> 55);
        var t5 = t & Mask55;
        var t6 = x.L6 + (P6 & odd) + (t >> 55);
        return new Fp(
            (t0 >> 1) | ((t1 & 1) << 54),
            (t1 >> 1) | ((t2 & 1) << 54),
            (t2 >> 1) | ((t3 & 1) << 54),
            (t3 >> 1) | ((t4 & 1) << 54),
            (t4 >> 1) | ((t5 & 1) << 54),
            (t5 >> 1) | ((t6 & 1) << 54),
            t6 >> 1);
    }

    private static bool IsOneLimbs(ReadOnlySpan<ulong> x) => x[0] == 1 && (x[1] | x[2] | x[3] | x[4] | x[5]) == 0;

    private static void ShiftRight1(Span<ulong> x)
    {
        for (var i = 0; i < 5; i++)
        {
            x[i] = (x[i] >> 1) | (x[i + 1] << 63);
        }

        x[5] >>= 1;
    }

    private static bool LessThan(ReadOnlySpan<ulong> x, ReadOnlySpan<ulong> y)
    {
        for (var i = 5; i >= 0; i--)
        {
            if (x[i] != y[i])
            {
                return x[i] < y[i];
            }
        }

        return false;
    }

    private static void SubInPlace(Span<ulong> x, ReadOnlySpan<ulong> y)
    {
        ulong borrow = 0;
        for (var i = 0; i < 6; i++)
        {
            x[i] = SubBorrow(x[i], y[i], ref borrow);
        }
    }
}
