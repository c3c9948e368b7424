// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Montgomery multiplication for <see cref="Fp"/>: coarsely integrated operand scanning (CIOS), fully
/// unrolled over the six limbs.
/// </summary>
/// <remarks>
/// The top limb of p is below 2^62, so the "no-carry" shortcut applies: the running sum never needs a
/// seventh word (Koç, Acar and Kaliski, "Analyzing and comparing Montgomery multiplication algorithms",
/// 1996, with the spare-bit observation used by gnark). The result is fully reduced into [0, p) by one
/// masked subtraction, so there is no data-dependent branch.
/// </remarks>
internal readonly partial struct Fp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp Mul(in Fp a, in Fp b)
    {
        ulong t0, t1, t2, t3, t4, t5, c, hi, m, top;
        // Row 0: t += a * b0, then one Montgomery reduction step.
        hi = Math.BigMul(a.L0, b.L0, out t0);
        c = hi;
        t1 = Mac(a.L1, b.L0, 0, ref c);
        t2 = Mac(a.L2, b.L0, 0, ref c);
        t3 = Mac(a.L3, b.L0, 0, ref c);
        t4 = Mac(a.L4, b.L0, 0, ref c);
        t5 = Mac(a.L5, b.L0, 0, ref c);
        top = c;
        m = t0 * Inv;
        c = 0;
        _ = Mac(m, P0, t0, ref c);
        t0 = Mac(m, P1, t1, ref c);
        t1 = Mac(m, P2, t2, ref c);
        t2 = Mac(m, P3, t3, ref c);
        t3 = Mac(m, P4, t4, ref c);
        t4 = Mac(m, P5, t5, ref c);
        t5 = c + top;

        // Row 1: t += a * b1, then one Montgomery reduction step.
        c = 0;
        t0 = Mac(a.L0, b.L1, t0, ref c);
        t1 = Mac(a.L1, b.L1, t1, ref c);
        t2 = Mac(a.L2, b.L1, t2, ref c);
        t3 = Mac(a.L3, b.L1, t3, ref c);
        t4 = Mac(a.L4, b.L1, t4, ref c);
        t5 = Mac(a.L5, b.L1, t5, ref c);
        top = c;
        m = t0 * Inv;
        c = 0;
        _ = Mac(m, P0, t0, ref c);
        t0 = Mac(m, P1, t1, ref c);
        t1 = Mac(m, P2, t2, ref c);
        t2 = Mac(m, P3, t3, ref c);
        t3 = Mac(m, P4, t4, ref c);
        t4 = Mac(m, P5, t5, ref c);
        t5 = c + top;

        // Row 2: t += a * b2, then one Montgomery reduction step.
        c = 0;
        t0 = Mac(a.L0, b.L2, t0, ref c);
        t1 = Mac(a.L1, b.L2, t1, ref c);
        t2 = Mac(a.L2, b.L2, t2, ref c);
        t3 = Mac(a.L3, b.L2, t3, ref c);
        t4 = Mac(a.L4, b.L2, t4, ref c);
        t5 = Mac(a.L5, b.L2, t5, ref c);
        top = c;
        m = t0 * Inv;
        c = 0;
        _ = Mac(m, P0, t0, ref c);
        t0 = Mac(m, P1, t1, ref c);
        t1 = Mac(m, P2, t2, ref c);
        t2 = Mac(m, P3, t3, ref c);
        t3 = Mac(m, P4, t4, ref c);
        t4 = Mac(m, P5, t5, ref c);
        t5 = c + top;

        // Row 3: t += a * b3, then one Montgomery reduction step.
        c = 0;
        t0 = Mac(a.L0, b.L3, t0, ref c);
        t1 = Mac(a.L1, b.L3, t1, ref c);
        t2 = Mac(a.L2, b.L3, t2, ref c);
        t3 = Mac(a.L3, b.L3, t3, ref c);
        t4 = Mac(a.L4, b.L3, t4, ref c);
        t5 = Mac(a.L5, b.L3, t5, ref c);
        top = c;
        m = t0 * Inv;
        c = 0;
        _ = Mac(m, P0, t0, ref c);
        t0 = Mac(m, P1, t1, ref c);
        t1 = Mac(m, P2, t2, ref c);
        t2 = Mac(m, P3, t3, ref c);
        t3 = Mac(m, P4, t4, ref c);
        t4 = Mac(m, P5, t5, ref c);
        t5 = c + top;

        // Row 4: t += a * b4, then one Montgomery reduction step.
        c = 0;
        t0 = Mac(a.L0, b.L4, t0, ref c);
        t1 = Mac(a.L1, b.L4, t1, ref c);
        t2 = Mac(a.L2, b.L4, t2, ref c);
        t3 = Mac(a.L3, b.L4, t3, ref c);
        t4 = Mac(a.L4, b.L4, t4, ref c);
        t5 = Mac(a.L5, b.L4, t5, ref c);
        top = c;
        m = t0 * Inv;
        c = 0;
        _ = Mac(m, P0, t0, ref c);
        t0 = Mac(m, P1, t1, ref c);
        t1 = Mac(m, P2, t2, ref c);
        t2 = Mac(m, P3, t3, ref c);
        t3 = Mac(m, P4, t4, ref c);
        t4 = Mac(m, P5, t5, ref c);
        t5 = c + top;

        // Row 5: t += a * b5, then one Montgomery reduction step.
        c = 0;
        t0 = Mac(a.L0, b.L5, t0, ref c);
        t1 = Mac(a.L1, b.L5, t1, ref c);
        t2 = Mac(a.L2, b.L5, t2, ref c);
        t3 = Mac(a.L3, b.L5, t3, ref c);
        t4 = Mac(a.L4, b.L5, t4, ref c);
        t5 = Mac(a.L5, b.L5, t5, ref c);
        top = c;
        m = t0 * Inv;
        c = 0;
        _ = Mac(m, P0, t0, ref c);
        t0 = Mac(m, P1, t1, ref c);
        t1 = Mac(m, P2, t2, ref c);
        t2 = Mac(m, P3, t3, ref c);
        t3 = Mac(m, P4, t4, ref c);
        t4 = Mac(m, P5, t5, ref c);
        t5 = c + top;
        return ReduceOnce(t0, t1, t2, t3, t4, t5);
    }


    /// <summary>Computes a * b + c + carry; returns the low word and leaves the high word in carry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mac(ulong a, ulong b, ulong c, ref ulong carry)
    {
        var product = Math.BigMul(a, b) + c + carry;
        carry = (ulong)(product >> 64);
        return (ulong)product;
    }
}
