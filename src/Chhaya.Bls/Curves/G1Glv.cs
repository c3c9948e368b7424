// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.Bls.Curves;

/// <summary>
/// Constant-time scalar multiplication in G1 with the φ endomorphism (GLV, Gallant–Lambert–Vanstone
/// 2001): φ(x, y) = (βx, y) acts on G1 as [-z^2], so writing k = d0 + d1·z^2 with two 128-bit digits
/// gives k·P = d0·P + d1·(-φ(P)), evaluated jointly with 128 doublings and 64 additions (a 2-bit window
/// on each digit, 16-entry joint table) instead of 256 doublings and 64 additions.
/// </summary>
/// <remarks>
/// The digits come from two constant-time Barrett divisions by |z| (<see cref="G2Gls.DivRemAbsZ"/>):
/// k = q·z^2 + r1·|z| + r0. Table entries are read by a masked scan of all 16, and the complete formulas
/// need no special case. Only valid for P in G1 and k &lt; r (then d1 &lt; 2^128); SkToPk satisfies both.
/// </remarks>
internal static class G1Glv
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static G1Projective MulConstantTime(in G1Projective p, ReadOnlySpan<ulong> scalar)
    {
        Span<ulong> digits = stackalloc ulong[4];
        try
        {
            Decompose(scalar, digits);
            var q = G1Projective.Neg(G1.Phi(p));

            // table[i + 4j] = i·P + j·Q, built in a fixed order.
            Span<G1Projective> table = stackalloc G1Projective[16];
            table[0] = G1Projective.Identity;
            for (var i = 1; i < 4; i++)
            {
                table[i] = G1Projective.Add(table[i - 1], p);
            }

            for (var j = 1; j < 4; j++)
            {
                for (var i = 0; i < 4; i++)
                {
                    table[i + (4 * j)] = G1Projective.Add(table[i + (4 * (j - 1))], q);
                }
            }

            var acc = G1Projective.Identity;
            for (var w = 63; w >= 0; w--)
            {
                acc = G1Projective.Double(G1Projective.Double(acc));
                var limb = w >> 5;
                var shift = (2 * w) & 63;
                var index = ((digits[limb] >> shift) & 3) | (((digits[2 + limb] >> shift) & 3) << 2);
                var selected = G1Projective.Identity;
                for (var j = 0; j < 16; j++)
                {
                    selected = G1Projective.Select(ConstantTime.EqualMask((ulong)j, index), table[j], selected);
                }

                acc = G1Projective.Add(acc, selected);
            }

            return acc;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(digits));
        }
    }

    /// <summary>Writes d0 (limbs 0, 1) and d1 (limbs 2, 3) with k = d0 + d1·z^2 and d0 &lt; z^2; constant time.</summary>
    internal static void Decompose(ReadOnlySpan<ulong> scalar, Span<ulong> digits)
    {
        Span<ulong> q1 = stackalloc ulong[4];
        Span<ulong> q2 = stackalloc ulong[4];
        try
        {
            var r0 = G2Gls.DivRemAbsZ(scalar, q1);
            var r1 = G2Gls.DivRemAbsZ(q1, q2);

            // d0 = r1·|z| + r0 < z^2 < 2^128; the carry is a compare result, not a branch.
            var hi = Math.BigMul(r1, G1.AbsZ, out var lo);
            var sum = lo + r0;
            hi += sum < lo ? 1UL : 0UL;
            digits[0] = sum;
            digits[1] = hi;

            // k < r < 2^128·z^2, so the quotient has two limbs.
            digits[2] = q2[0];
            digits[3] = q2[1];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(q1));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(q2));
        }
    }
}
