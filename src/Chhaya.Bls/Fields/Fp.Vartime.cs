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
    /// <summary>R^3 mod p (R = 2^384) as plain limbs: turns the plain inverse of a Montgomery value into Montgomery form.</summary>
    private static readonly Fp R3 = new(0xed48ac6bd94ca1e0, 0x315f831e03a7adf8, 0x9a53352a615e29dd, 0x34c04e5e921e1761, 0x2512d43565724728, 0x0aa6346091755d4d);

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

        Span<ulong> u = [a.L0, a.L1, a.L2, a.L3, a.L4, a.L5];
        Span<ulong> v = [P0, P1, P2, P3, P4, P5];
        var x1 = new Fp(1, 0, 0, 0, 0, 0);
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

    /// <summary>x/2 mod p for a plain value below p: add p when x is odd, then shift.</summary>
    private static Fp HalveRaw(in Fp x)
    {
        var odd = 0UL - (x.L0 & 1);
        ulong c = 0;
        var t0 = AddCarry(x.L0, P0 & odd, ref c);
        var t1 = AddCarry(x.L1, P1 & odd, ref c);
        var t2 = AddCarry(x.L2, P2 & odd, ref c);
        var t3 = AddCarry(x.L3, P3 & odd, ref c);
        var t4 = AddCarry(x.L4, P4 & odd, ref c);
        var t5 = x.L5 + (P5 & odd) + c; // below 2p < 2^382: no carry out
        return new Fp(
            (t0 >> 1) | (t1 << 63),
            (t1 >> 1) | (t2 << 63),
            (t2 >> 1) | (t3 << 63),
            (t3 >> 1) | (t4 << 63),
            (t4 >> 1) | (t5 << 63),
            t5 >> 1);
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
