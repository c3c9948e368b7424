// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Chhaya.Bls.Fields;
using Chhaya.Safety;

namespace Chhaya.Bls.Curves;

/// <summary>
/// Constant-time scalar multiplication in G2 with the ψ endomorphism (a GLS method, Galbraith–Lin–Scott
/// 2009): ψ acts on G2 as multiplication by z, so writing k = d0 + d1·|z| + d2·|z|^2 + d3·|z|^3 with
/// 64-bit digits gives k·P = d0·P + d1·(-ψ(P)) + d2·ψ^2(P) + d3·(-ψ^3(P)), evaluated with 64 doublings
/// instead of 256.
/// </summary>
/// <remarks>
/// The digits come from Barrett division by the constant |z| (multiplications and masked corrections
/// only, no hardware division, whose timing can depend on the operands). The joint table of the 16
/// subset sums is read by a masked scan, as in <see cref="Point{T, TCurve}.MulConstantTime"/>. Only valid
/// for P in G2 and k &lt; r; both hold for signing (P = hash_to_G2(m), k a secret key).
/// </remarks>
internal static class G2Gls
{
    /// <summary>μ = floor(2^320 / |z|), five limbs.</summary>
    private static ReadOnlySpan<ulong> Mu => [0xf77cf78a2942e444, 0x92078a5e8573b29c, 0x33cfcc0d3e76ec28, 0x381204ca56cd56b5, 0x0000000000000001];

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static G2Projective MulConstantTime(in G2Projective p, ReadOnlySpan<ulong> scalar)
    {
        Span<ulong> digits = stackalloc ulong[4];
        try
        {
            Decompose(scalar, digits);
            Span<G2Projective> bases = stackalloc G2Projective[4];
            bases[0] = p;
            var psi = G2.Psi(p);
            var psi2 = G2.Psi(psi);
            bases[1] = G2Projective.Neg(psi);
            bases[2] = psi2;
            bases[3] = G2Projective.Neg(G2.Psi(psi2));

            // table[i] = Σ bases[j] over the bits j set in i; built in a fixed order (11 additions: the
            // single-bit entries are the bases themselves).
            Span<G2Projective> table = stackalloc G2Projective[16];
            table[0] = G2Projective.Identity;
            for (var i = 1; i < 16; i++)
            {
                var low = System.Numerics.BitOperations.TrailingZeroCount(i);
                var rest = i & (i - 1);
                table[i] = rest == 0 ? bases[low] : G2Projective.Add(table[rest], bases[low]);
            }

            var acc = G2Projective.Identity;
            for (var bit = 63; bit >= 0; bit--)
            {
                acc = G2Projective.Double(acc);
                var index = ((digits[0] >> bit) & 1)
                    | (((digits[1] >> bit) & 1) << 1)
                    | (((digits[2] >> bit) & 1) << 2)
                    | (((digits[3] >> bit) & 1) << 3);
                var selected = G2Projective.Identity;
                for (var j = 0; j < 16; j++)
                {
                    selected = G2Projective.Select(ConstantTime.EqualMask((ulong)j, index), table[j], selected);
                }

                acc = G2Projective.Add(acc, selected);
            }

            return acc;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(digits));
        }
    }

    /// <summary>Writes the four base-|z| digits of a scalar below r; constant time.</summary>
    internal static void Decompose(ReadOnlySpan<ulong> scalar, Span<ulong> digits)
    {
        Span<ulong> current = stackalloc ulong[4];
        Span<ulong> quotient = stackalloc ulong[4];
        try
        {
            scalar.CopyTo(current);
            for (var i = 0; i < 3; i++)
            {
                digits[i] = DivRemAbsZ(current, quotient);
                quotient.CopyTo(current);
            }

            // k < r < 2^64·|z|^3, so the last quotient is a single limb.
            digits[3] = current[0];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(current));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(quotient));
        }
    }

    /// <summary>
    /// quotient = floor(k / |z|), returns k mod |z|. Barrett: q = floor(k·μ / 2^320) is at most two
    /// below the true quotient, so two masked corrections finish the job.
    /// </summary>
    internal static ulong DivRemAbsZ(ReadOnlySpan<ulong> k, Span<ulong> quotient)
    {
        Span<ulong> product = stackalloc ulong[9];
        product.Clear();
        var mu = Mu;
        for (var i = 0; i < 4; i++)
        {
            ulong carry = 0;
            for (var j = 0; j < 5; j++)
            {
                var t = Math.BigMul(k[i], mu[j]) + product[i + j] + carry;
                product[i + j] = (ulong)t;
                carry = (ulong)(t >> 64);
            }

            product[i + 5] = carry;
        }

        for (var i = 0; i < 4; i++)
        {
            quotient[i] = product[5 + i];
        }

        product.Clear();

        // remainder = k - q·|z|; it is below 3·|z| < 2^66, so two limbs hold it.
        var qz0 = Math.BigMul(quotient[0], G1.AbsZ);
        var qz1 = Math.BigMul(quotient[1], G1.AbsZ) + (ulong)(qz0 >> 64);
        ulong borrow = 0;
        var r0 = Fp.SubBorrow(k[0], (ulong)qz0, ref borrow);
        var r1 = Fp.SubBorrow(k[1], (ulong)qz1, ref borrow);

        for (var round = 0; round < 2; round++)
        {
            ulong b = 0;
            var s0 = Fp.SubBorrow(r0, G1.AbsZ, ref b);
            var s1 = Fp.SubBorrow(r1, 0, ref b);
            var take = b - 1; // all ones when remainder ≥ |z|
            r0 = ConstantTime.Select(take, s0, r0);
            r1 = ConstantTime.Select(take, s1, r1);
            ulong carry = take & 1;
            for (var i = 0; i < 4; i++)
            {
                var sum = quotient[i] + carry;
                carry = sum < carry ? 1UL : 0UL;
                quotient[i] = sum;
            }
        }

        return r0;
    }
}
