// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using System.Runtime.CompilerServices;
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Pairing;

/// <summary>
/// Raises a Miller-loop value to 3·(p^12 - 1)/r, mapping it into GT. For public inputs only (it uses a
/// variable-time inversion), which is all signature verification needs.
/// </summary>
/// <remarks>
/// <para>Easy part: f^((p^6 - 1)(p^2 + 1)) with one inversion and Frobenius maps; afterwards f lies in
/// the cyclotomic subgroup, where inversion is conjugation and squaring can use
/// <see cref="Fp12.CyclotomicSquare"/>.</para>
/// <para>Hard part: the decomposition of Hayashida, Hayasaka and Teruya ("Efficient final
/// exponentiation via cyclotomic structure for pairings over families of elliptic curves", 2020):
/// 3·(p^4 - p^2 + 1)/r = (z - 1)^2 (z + p)(z^2 + p^2 - 1) + 3, which costs five exponentiations by z.
/// The result is therefore the cube of the textbook pairing value: still bilinear and non-degenerate
/// (3 does not divide r), and exactly 1 when and only when the textbook value is 1, which is all a
/// signature check asks.</para>
/// </remarks>
internal static class FinalExponentiation
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp12 Apply(in Fp12 f)
    {
        // Easy part.
        // Pairing inputs are public (keys, signatures, message hashes): the variable-time inversion is fine.
        var t = Fp12.Conjugate(f) * Fp12.InvertVartime(f);
        t = Fp12.Frobenius(Fp12.Frobenius(t)) * t;

        // Hard part.
        var a = ExpByZ(t) * Fp12.Conjugate(t);          // t^(z-1)
        a = ExpByZ(a) * Fp12.Conjugate(a);              // t^((z-1)^2)
        var b = ExpByZ(a) * Fp12.Frobenius(a);          // ·^(z+p)
        var c = ExpByZ(ExpByZ(b)) * Fp12.Frobenius(Fp12.Frobenius(b)) * Fp12.Conjugate(b); // ·^(z^2+p^2-1)
        var t3 = Fp12.CyclotomicSquare(t) * t;
        return c * t3;
    }

    /// <summary>The number of set bits of |z| above bit 0: the powers f^(2^k) that f^|z| multiplies together.</summary>
    private static readonly int PowersOfTwoInZ = BitOperations.PopCount(G1.AbsZ >> 1);

    /// <summary>
    /// f^z for the negative z, on the cyclotomic subgroup, with Karabina's compressed squaring: the 63
    /// squarings run on the compressed form (g2…g5), the six powers f^(2^k) that |z| = 2^63 + 2^62 +
    /// 2^60 + 2^57 + 2^48 + 2^16 needs are decompressed together with one inversion, multiplied, and the
    /// product conjugated (z &lt; 0). Falls back to <see cref="ExpByZUncompressed"/> when a power cannot be
    /// decompressed (g2 = g3 = 0, as for f = 1). Variable time: public values only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Fp12 ExpByZ(in Fp12 f)
    {
        Span<CompressedFp12> powers = stackalloc CompressedFp12[PowersOfTwoInZ];
        var g = CompressedFp12.Compress(f);
        var n = 0;
        for (var bit = 1; bit < 64; bit++)
        {
            g = CompressedFp12.Square(g);
            if (((G1.AbsZ >> bit) & 1) != 0)
            {
                powers[n++] = g;
            }
        }

        Span<Fp12> full = stackalloc Fp12[PowersOfTwoInZ];
        if (!CompressedFp12.TryDecompressVartime(powers, full))
        {
            return ExpByZUncompressed(f);
        }

        var acc = (G1.AbsZ & 1) != 0 ? full[0] * f : full[0];
        for (var i = 1; i < full.Length; i++)
        {
            acc *= full[i];
        }

        return Fp12.Conjugate(acc);
    }

    /// <summary>
    /// f^z for the negative z, on the cyclotomic subgroup: square-and-multiply by |z| with
    /// <see cref="Fp12.CyclotomicSquare"/>, then conjugate. The fallback of <see cref="ExpByZ"/> and the
    /// reference it is tested against.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Fp12 ExpByZUncompressed(in Fp12 f)
    {
        var acc = f;
        for (var bit = 62; bit >= 0; bit--)
        {
            acc = Fp12.CyclotomicSquare(acc);
            if (((G1.AbsZ >> bit) & 1) != 0)
            {
                acc *= f;
            }
        }

        return Fp12.Conjugate(acc);
    }
}
