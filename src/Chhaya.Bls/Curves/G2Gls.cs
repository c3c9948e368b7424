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
/// <para>The digits come from Barrett division by the constant |z| (multiplications and masked corrections
/// only, no hardware division, whose timing can depend on the operands). They are then recoded in the
/// sign-aligned form of Faz-Hernández, Longa and Sánchez (2014): 65 columns, each ± one of the eight
/// points T[u] = B0 + u0·B1 + u1·B2 + u2·B3, so every column adds a point that is never the identity.
/// The table is public (multiples of the public P), made affine with one batched inversion; the
/// accumulator runs in Jacobian coordinates with 2M + 5S doublings and 7M + 4S mixed additions, against
/// 6M + 2S and 12M for the complete projective formulas. Columns are read by a masked scan and signs
/// applied by masked negation.</para>
/// <para>The mixed addition is not complete: it fails when the accumulator equals ± the added point. For
/// P of prime order r that happens exactly when an integer combination of powers of z fixed by the
/// scalar's digits vanishes mod r, a property of the scalar alone, whatever P is, and one that a random
/// secret key has with negligible probability (the multiplication by r − k of an even k, and k = 0,
/// among the tests, do reach it). Each addition tests for it with a mask; when it was met the result is
/// recomputed with the complete formulas (<see cref="MulConstantTimeComplete"/>). That branch reveals
/// only whether the key is one of these exceptional ones, which no message can change.</para>
/// <para>Only valid for P in G2 and k &lt; r; both hold for signing (P = hash_to_G2(m), k a secret key).</para>
/// </remarks>
internal static class G2Gls
{
    /// <summary>μ = floor(2^320 / |z|), five limbs.</summary>
    private static ReadOnlySpan<ulong> Mu => [0xf77cf78a2942e444, 0x92078a5e8573b29c, 0x33cfcc0d3e76ec28, 0x381204ca56cd56b5, 0x0000000000000001];

    /// <summary>Recoded columns: the top one (always positive) and one per bit of the 64-bit digits.</summary>
    private const int Columns = 65;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static G2Projective MulConstantTime(in G2Projective p, ReadOnlySpan<ulong> scalar) =>
        TryMulJacobian(p, scalar, out var product) ? product : MulConstantTimeComplete(p, scalar);

    /// <summary>
    /// The Jacobian evaluation; false when an addition met its exceptional case (a property of the scalar
    /// alone), and then <paramref name="product"/> is meaningless.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryMulJacobian(in G2Projective p, ReadOnlySpan<ulong> scalar, out G2Projective product)
    {
        if (p.Z.IsZero)
        {
            product = G2Projective.Identity; // public: the identity is not a hash output, but stay total
            return true;
        }

        Span<ulong> odd = stackalloc ulong[4];
        Span<ulong> digits = stackalloc ulong[4];
        Span<byte> columns = stackalloc byte[Columns];
        try
        {
            // The recoding needs d0 odd; d0 ≡ k (mod 2) because |z| is even, so an even k is replaced by
            // the odd r − k and the result negated.
            var negateResult = OddRepresentative(scalar, odd);
            Decompose(odd, digits);
            Recode(digits, columns);

            Span<Fp2> tableX = stackalloc Fp2[8];
            Span<Fp2> tableY = stackalloc Fp2[8];
            BuildAffineTable(p, tableX, tableY);

            // Top column: positive by construction.
            var x = Fp2.Zero;
            var y = Fp2.Zero;
            Lookup(tableX, tableY, columns[Columns - 1], ref x, ref y);
            var z = Fp2.One;
            ulong exceptional = 0;
            for (var i = Columns - 2; i >= 0; i--)
            {
                Jacobian.Double(ref x, ref y, ref z);
                var tx = Fp2.Zero;
                var ty = Fp2.Zero;
                Lookup(tableX, tableY, columns[i], ref tx, ref ty);
                exceptional |= AddAffineUnchecked(ref x, ref y, ref z, tx, ty);
            }

            // Jacobian (X, Y, Z) is the homogeneous projective (X·Z, Y, Z^3).
            y = Fp2.Select(negateResult, Fp2.Neg(y), y);
            product = new G2Projective(Fp2.Mul(x, z), y, Fp2.Mul(Fp2.Square(z), z));
            return exceptional == 0;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(odd));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(digits));
            CryptographicOperations.ZeroMemory(columns);
        }
    }

    /// <summary>
    /// Writes k when it is odd and r − k when it is even (both odd, below r + 1), and returns all ones in
    /// the second case; constant time.
    /// </summary>
    internal static ulong OddRepresentative(ReadOnlySpan<ulong> k, Span<ulong> odd)
    {
        var even = ConstantTime.MaskFromBit(~k[0]);
        var r = Scalars.R;
        ulong borrow = 0;
        for (var i = 0; i < 4; i++)
        {
            var difference = Fp.SubBorrow(r[i], k[i], ref borrow);
            odd[i] = ConstantTime.Select(even, difference, k[i]);
        }

        return even;
    }

    /// <summary>
    /// The sign-aligned recoding (Faz-Hernández–Longa–Sánchez 2014, algorithm 1) of four digits below
    /// 2^64 with d0 odd: column i holds the table index in bits 0–2 (which of d1, d2, d3 take part) and
    /// in bit 7 whether the column is negative. d0 = Σ s_i·2^i with s_64 = 1 and s_i = 2·bit_{i+1}(d0) − 1
    /// below it, and each other digit dj = Σ b_i·s_i·2^i with b_i ∈ {0, 1}. Constant time.
    /// </summary>
    internal static void Recode(ReadOnlySpan<ulong> digits, Span<byte> columns)
    {
        var d0 = digits[0];
        var d1 = digits[1];
        var d2 = digits[2];
        var d3 = digits[3];
        for (var i = 0; i < Columns; i++)
        {
            // Negative when bit i+1 of d0 is clear (bit 64 is, and C# would read a shift by 64 as a shift
            // by 0); the top column is positive. i is public, so these branches are too.
            var negative = i == Columns - 1 ? 0UL : i == Columns - 2 ? 1UL : ((d0 >> (i + 1)) & 1) ^ 1;
            var b1 = d1 & 1;
            var b2 = d2 & 1;
            var b3 = d3 & 1;

            // d ← (d − b·s) / 2: a set bit under a negative sign borrows one into the next column.
            d1 = (d1 >> 1) + (b1 & negative);
            d2 = (d2 >> 1) + (b2 & negative);
            d3 = (d3 >> 1) + (b3 & negative);
            columns[i] = (byte)(b1 | (b2 << 1) | (b3 << 2) | (negative << 7));
        }
    }

    /// <summary>T[u] = P + u0·(−ψ(P)) + u1·ψ^2(P) + u2·(−ψ^3(P)) for u = 0…7, in affine coordinates.</summary>
    private static void BuildAffineTable(in G2Projective p, Span<Fp2> tableX, Span<Fp2> tableY)
    {
        var psi = G2.Psi(p);
        var psi2 = G2.Psi(psi);
        Span<G2Projective> table = stackalloc G2Projective[8];
        table[0] = p;
        table[1] = G2Projective.Sub(p, psi);
        table[2] = G2Projective.Add(p, psi2);
        table[3] = G2Projective.Add(table[1], psi2);
        var psi3 = G2Projective.Neg(G2.Psi(psi2));
        for (var u = 4; u < 8; u++)
        {
            table[u] = G2Projective.Add(table[u - 4], psi3);
        }

        // None is the identity: 1 ± z ± z^2 ± z^3 is a non-zero integer far below r.
        Span<Fp2> inverses = stackalloc Fp2[8];
        for (var u = 0; u < 8; u++)
        {
            inverses[u] = table[u].Z;
        }

        Fp2.InvertVartimeBatch(inverses);
        for (var u = 0; u < 8; u++)
        {
            tableX[u] = Fp2.Mul(table[u].X, inverses[u]);
            tableY[u] = Fp2.Mul(table[u].Y, inverses[u]);
        }
    }

    /// <summary>(x, y) = ±T[column &amp; 7], the sign from bit 7; a masked scan over all eight entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lookup(ReadOnlySpan<Fp2> tableX, ReadOnlySpan<Fp2> tableY, byte column, ref Fp2 x, ref Fp2 y)
    {
        var index = (ulong)(column & 7);
        for (var u = 0; u < 8; u++)
        {
            var take = ConstantTime.EqualMask((ulong)u, index);
            x = Fp2.Select(take, tableX[u], x);
            y = Fp2.Select(take, tableY[u], y);
        }

        y = Fp2.Select(ConstantTime.MaskFromBit((ulong)column >> 7), Fp2.Neg(y), y);
    }

    /// <summary>
    /// madd-2007-bl, (X, Y, Z) += (x2, y2), without the branches of <see cref="Jacobian.AddAffine"/>:
    /// returns all ones when the two points share x (equal or opposite), where the formula's result is
    /// wrong, else zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddAffineUnchecked(ref Fp2 x, ref Fp2 y, ref Fp2 z, in Fp2 x2, in Fp2 y2)
    {
        var z1z1 = Fp2.Square(z);
        var u2 = Fp2.Mul(x2, z1z1);
        var s2 = Fp2.Mul(Fp2.Mul(y2, z), z1z1);
        var h = Fp2.Sub(u2, x);
        var r = Fp2.Double(Fp2.Sub(s2, y));
        var hh = Fp2.Square(h);
        var i = Fp2.Double(Fp2.Double(hh));
        var j = Fp2.Mul(h, i);
        var v = Fp2.Mul(x, i);
        var x3 = Fp2.Sub(Fp2.Sub(Fp2.Square(r), j), Fp2.Double(v));
        var y3 = Fp2.MulSubMul(r, Fp2.Sub(v, x3), Fp2.Double(y), j);
        z = Fp2.Sub(Fp2.Sub(Fp2.Square(Fp2.Add(z, h)), z1z1), hh);
        x = x3;
        y = y3;
        return h.IsZeroMask;
    }

    /// <summary>
    /// The same product with complete projective formulas throughout and the 16 subset sums of the four
    /// bases scanned unsigned: slower, but with no exceptional case.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static G2Projective MulConstantTimeComplete(in G2Projective p, ReadOnlySpan<ulong> scalar)
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
