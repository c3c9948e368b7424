// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Small fixed linear combinations of reduced values, each reduced once: the recombination steps of
/// the cyclotomic squarings (Granger–Scott, Karabina), which otherwise take three additions, each with
/// its own reduction.
/// </summary>
internal readonly partial struct Fp
{
    /// <summary>3c − 2z for reduced c and z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp ThriceMinusTwice(in Fp c, in Fp z) => ReduceBelow8P(
        (3 * (long)c.L0) - (2 * (long)z.L0) + (2 * (long)P0),
        (3 * (long)c.L1) - (2 * (long)z.L1) + (2 * (long)P1),
        (3 * (long)c.L2) - (2 * (long)z.L2) + (2 * (long)P2),
        (3 * (long)c.L3) - (2 * (long)z.L3) + (2 * (long)P3),
        (3 * (long)c.L4) - (2 * (long)z.L4) + (2 * (long)P4),
        (3 * (long)c.L5) - (2 * (long)z.L5) + (2 * (long)P5),
        (3 * (long)c.L6) - (2 * (long)z.L6) + (2 * (long)P6));

    /// <summary>3c + 2z for reduced c and z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp ThricePlusTwice(in Fp c, in Fp z) => ReduceBelow8P(
        (3 * (long)c.L0) + (2 * (long)z.L0),
        (3 * (long)c.L1) + (2 * (long)z.L1),
        (3 * (long)c.L2) + (2 * (long)z.L2),
        (3 * (long)c.L3) + (2 * (long)z.L3),
        (3 * (long)c.L4) + (2 * (long)z.L4),
        (3 * (long)c.L5) + (2 * (long)z.L5),
        (3 * (long)c.L6) + (2 * (long)z.L6));

    /// <summary>3(x − y) + 2z for reduced x, y and z: the real part of 3ξ·(x + y·u) + 2z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp ThriceDifferencePlusTwice(in Fp x, in Fp y, in Fp z) => ReduceBelow8P(
        (3 * ((long)x.L0 - (long)y.L0)) + (2 * (long)z.L0) + (3 * (long)P0),
        (3 * ((long)x.L1 - (long)y.L1)) + (2 * (long)z.L1) + (3 * (long)P1),
        (3 * ((long)x.L2 - (long)y.L2)) + (2 * (long)z.L2) + (3 * (long)P2),
        (3 * ((long)x.L3 - (long)y.L3)) + (2 * (long)z.L3) + (3 * (long)P3),
        (3 * ((long)x.L4 - (long)y.L4)) + (2 * (long)z.L4) + (3 * (long)P4),
        (3 * ((long)x.L5 - (long)y.L5)) + (2 * (long)z.L5) + (3 * (long)P5),
        (3 * ((long)x.L6 - (long)y.L6)) + (2 * (long)z.L6) + (3 * (long)P6));

    /// <summary>3(x + y) + 2z for reduced x, y and z: the imaginary part of 3ξ·(x + y·u) + 2z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp ThriceSumPlusTwice(in Fp x, in Fp y, in Fp z) => ReduceBelow8P(
        (3 * ((long)x.L0 + (long)y.L0)) + (2 * (long)z.L0),
        (3 * ((long)x.L1 + (long)y.L1)) + (2 * (long)z.L1),
        (3 * ((long)x.L2 + (long)y.L2)) + (2 * (long)z.L2),
        (3 * ((long)x.L3 + (long)y.L3)) + (2 * (long)z.L3),
        (3 * ((long)x.L4 + (long)y.L4)) + (2 * (long)z.L4),
        (3 * ((long)x.L5 + (long)y.L5)) + (2 * (long)z.L5),
        (3 * ((long)x.L6 + (long)y.L6)) + (2 * (long)z.L6));

    /// <summary>
    /// The value V = Σ t_i·2^(55i) of signed limb sums t_i (each |t_i| below 2^60) reduced mod p, for
    /// V in [0, 8p). After carrying, the top limb t6 (bits 330 and up) gives q = ⌊t6 / (P6 + 1)⌋, which
    /// is ⌊V/p⌋ or one less: q·p ≤ t6·2^330 ≤ V, and V/p − q &lt; 1 + (t6 + P6 + 1)/(P6(P6 + 1)) &lt; 2. So
    /// V − (q + 1)·p lies in [−p, p), and p is added back under a mask when it is negative. No branch;
    /// the division by a constant compiles to a multiplication.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp ReduceBelow8P(long t0, long t1, long t2, long t3, long t4, long t5, long t6)
    {
        var d0 = (ulong)t0 & Mask55;
        t1 += t0 >> 55;
        var d1 = (ulong)t1 & Mask55;
        t2 += t1 >> 55;
        var d2 = (ulong)t2 & Mask55;
        t3 += t2 >> 55;
        var d3 = (ulong)t3 & Mask55;
        t4 += t3 >> 55;
        var d4 = (ulong)t4 & Mask55;
        t5 += t4 >> 55;
        var d5 = (ulong)t5 & Mask55;
        t6 += t5 >> 55;
        var q = ((ulong)t6 / (P6 + 1)) + 1;
        return SubtractModP(d0, d1, d2, d3, d4, d5, (ulong)t6, q * P0, q * P1, q * P2, q * P3, q * P4, q * P5, q * P6);
    }
}
