// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// An element of the cyclotomic subgroup of Fp12 in Karabina's compressed form: the four coefficients
/// g2, g3, g4, g5 of g = g0 + g2·w + g4·w^2 + g1·w^3 + g3·w^4 + g5·w^5 (in <see cref="Fp12"/>'s storage:
/// C0 = (g0, g4, g3), C1 = (g2, g1, g5)), from which g0 and g1 can be recovered.
/// </summary>
/// <remarks>
/// <para>Karabina, "Squaring in cyclotomic subgroups" (Mathematics of Computation 82, 2013), in the
/// notation of Aranha, Karabina, Longa, Gebotys and López, "Faster explicit formulas for computing
/// pairings over ordinary curves" (EUROCRYPT 2011), section 5: squaring the compressed form needs only
/// g2…g5, which are exactly the two Fp4 squarings of Granger–Scott that do not involve g0 and g1, so it
/// costs two thirds of <see cref="Fp12.CyclotomicSquare"/>. Decompression costs an inversion, which a
/// run of squarings pays once for all its outputs (<see cref="TryDecompressVartime"/>).</para>
/// <para>Only meaningful for elements of the cyclotomic subgroup (the output of the easy part of the
/// final exponentiation); the formulas were checked against plain Fp12 squaring with a big-integer model
/// of the tower, and the tests check them against <see cref="Fp12.Square"/>.</para>
/// </remarks>
internal readonly struct CompressedFp12
{
    internal readonly Fp2 G2;
    internal readonly Fp2 G3;
    internal readonly Fp2 G4;
    internal readonly Fp2 G5;

    internal CompressedFp12(in Fp2 g2, in Fp2 g3, in Fp2 g4, in Fp2 g5)
    {
        G2 = g2;
        G3 = g3;
        G4 = g4;
        G5 = g5;
    }

    public static CompressedFp12 Compress(in Fp12 f) => new(f.C1.C0, f.C0.C2, f.C0.C1, f.C1.C2);

    /// <summary>
    /// The compressed form of g^2: with (b0, b1) = (g2 + g3·s)^2 and (c0, c1) = (g4 + g5·s)^2 in Fp4,
    /// h2 = 2g2 + 3ξ·c1, h3 = 3c0 − 2g3, h4 = 3b0 − 2g4, h5 = 2g5 + 3b1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CompressedFp12 Square(in CompressedFp12 g)
    {
        Fp4.Square(g.G2, g.G3, out var b0, out var b1);
        Fp4.Square(g.G4, g.G5, out var c0, out var c1);
        return new CompressedFp12(
            ThriceXiPlusTwice(c1, g.G2),
            ThriceMinusTwice(c0, g.G3),
            ThriceMinusTwice(b0, g.G4),
            ThricePlusTwice(b1, g.G5));
    }

    /// <summary>3c − 2z, the Granger–Scott recombination of a coefficient z with its Fp4 square part c; one reduction per coordinate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2 ThriceMinusTwice(in Fp2 c, in Fp2 z) =>
        new(Fp.ThriceMinusTwice(c.C0, z.C0), Fp.ThriceMinusTwice(c.C1, z.C1));

    /// <summary>3c + 2z, the Granger–Scott recombination of a coefficient z with its Fp4 square part c; one reduction per coordinate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2 ThricePlusTwice(in Fp2 c, in Fp2 z) =>
        new(Fp.ThricePlusTwice(c.C0, z.C0), Fp.ThricePlusTwice(c.C1, z.C1));

    /// <summary>3ξ·c + 2z with ξ·(x + y·u) = (x − y) + (x + y)·u folded in; one reduction per coordinate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp2 ThriceXiPlusTwice(in Fp2 c, in Fp2 z) =>
        new(Fp.ThriceDifferencePlusTwice(c.C0, c.C1, z.C0), Fp.ThriceSumPlusTwice(c.C0, c.C1, z.C1));

    /// <summary>The recombinations from plain Fp2 additions: the reference the fused ones are tested against.</summary>
    internal static Fp2 ThriceMinusTwiceReference(in Fp2 c, in Fp2 z) => Fp2.Double(c - z) + c;

    /// <summary>See <see cref="ThriceMinusTwiceReference"/>.</summary>
    internal static Fp2 ThricePlusTwiceReference(in Fp2 c, in Fp2 z) => Fp2.Double(c + z) + c;

    /// <summary>See <see cref="ThriceMinusTwiceReference"/>.</summary>
    internal static Fp2 ThriceXiPlusTwiceReference(in Fp2 c, in Fp2 z) => ThricePlusTwiceReference(Fp2.MulByNonResidue(c), z);

    /// <summary>
    /// Recovers the full elements of <paramref name="gs"/> into <paramref name="results"/> with one
    /// shared inversion (Montgomery's trick), or returns false, writing nothing useful, when some element
    /// has g2 = g3 = 0, where the compressed form does not determine g1 (the caller must then work
    /// uncompressed; the identity is such an element).
    /// </summary>
    /// <remarks>
    /// g1 = (ξ·g5^2 + 3g4^2 − 2g3) / (4g2) when g2 ≠ 0, and g1 = 2g4g5 / g3 when g2 = 0 (Aranha et al.,
    /// section 5.2); then g0 = ξ·(2g1^2 + g2g5 − 3g3g4) + 1. Variable time (the choice of formula, the
    /// inversion): public values only, such as a pairing's inputs.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecompressVartime(ReadOnlySpan<CompressedFp12> gs, Span<Fp12> results)
    {
        Debug.Assert(results.Length >= gs.Length, "one result per compressed element");
        var n = gs.Length;
        Span<Fp2> numerators = stackalloc Fp2[n];
        Span<Fp2> denominators = stackalloc Fp2[n];
        for (var i = 0; i < n; i++)
        {
            ref readonly var g = ref gs[i];
            if (!g.G2.IsZero)
            {
                var t = Fp2.Square(g.G4);
                numerators[i] = Fp2.MulByNonResidue(Fp2.Square(g.G5)) + Fp2.Double(t) + t - Fp2.Double(g.G3);
                denominators[i] = Fp2.Double(Fp2.Double(g.G2));
            }
            else if (!g.G3.IsZero)
            {
                numerators[i] = Fp2.Double(g.G4 * g.G5);
                denominators[i] = g.G3;
            }
            else
            {
                return false;
            }
        }

        InvertAllVartime(denominators);
        for (var i = 0; i < n; i++)
        {
            ref readonly var g = ref gs[i];
            var g1 = numerators[i] * denominators[i];
            var t = g.G3 * g.G4;
            var g0 = Fp2.MulByNonResidue(Fp2.Double(Fp2.Square(g1)) + g.G2 * g.G5 - Fp2.Double(t) - t) + Fp2.One;
            results[i] = new Fp12(new Fp6(g0, g.G4, g.G3), new Fp6(g.G2, g1, g.G5));
        }

        return true;
    }

    /// <summary>
    /// Replaces every value by its inverse with one inversion and 3(n − 1) multiplications (Montgomery's
    /// trick). All values must be non-zero. Variable time: public values only.
    /// </summary>
    private static void InvertAllVartime(Span<Fp2> values)
    {
        var n = values.Length;
        if (n == 0)
        {
            return;
        }

        Span<Fp2> prefix = stackalloc Fp2[n];
        prefix[0] = values[0];
        for (var i = 1; i < n; i++)
        {
            prefix[i] = prefix[i - 1] * values[i];
        }

        var inverse = Fp2.InvertVartime(prefix[n - 1]);
        for (var i = n - 1; i > 0; i--)
        {
            var vi = values[i];
            values[i] = inverse * prefix[i - 1];
            inverse *= vi;
        }

        values[0] = inverse;
    }
}
