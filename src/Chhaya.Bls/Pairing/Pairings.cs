// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Pairing;

/// <summary>
/// The optimal ate pairing and the product of pairings with one shared final exponentiation. The inputs
/// must be public (as in signature verification): affine conversion and the final exponentiation use
/// variable-time inversion.
/// </summary>
internal static class Pairings
{
    public static Fp12 Pair(in G1Projective p, in G2Projective q)
    {
        ReadOnlySpan<G1Projective> ps = [p];
        ReadOnlySpan<G2Projective> qs = [q];
        return MultiPair(ps, qs);
    }

    /// <summary>∏ e(ps[i], qs[i]). Pairs with an identity point contribute 1 and are skipped.</summary>
    public static Fp12 MultiPair(ReadOnlySpan<G1Projective> ps, ReadOnlySpan<G2Projective> qs) =>
        FinalExponentiation.Apply(MultiMillerLoop(ps, qs));

    /// <summary>True when ∏ e(ps[i], qs[i]) = 1, the form every signature check takes.</summary>
    public static bool ProductIsOne(ReadOnlySpan<G1Projective> ps, ReadOnlySpan<G2Projective> qs) =>
        MultiPair(ps, qs).IsOne;

    public static Fp12 MultiMillerLoop(ReadOnlySpan<G1Projective> ps, ReadOnlySpan<G2Projective> qs)
    {
        if (ps.Length != qs.Length)
        {
            throw new ArgumentException("The pairing inputs must come in pairs.", nameof(qs));
        }

        // The Miller loop takes affine points: the Z coordinates of all pairs are inverted together,
        // one batched inversion per coordinate field instead of two inversions per pair.
        var kept = new List<int>(ps.Length);
        for (var i = 0; i < ps.Length; i++)
        {
            if (!ps[i].IsIdentity && !qs[i].IsIdentity)
            {
                kept.Add(i);
            }
        }

        if (kept.Count == 0)
        {
            return Fp12.One;
        }

        var pz = new Fp[kept.Count];
        var qz = new Fp2[kept.Count];
        for (var k = 0; k < kept.Count; k++)
        {
            pz[k] = ps[kept[k]].Z;
            qz[k] = qs[kept[k]].Z;
        }

        Fp.InvertVartimeBatch(pz);
        Fp2.InvertVartimeBatch(qz);
        var affineP = new (Fp X, Fp Y)[kept.Count];
        var affineQ = new (Fp2 X, Fp2 Y)[kept.Count];
        for (var k = 0; k < kept.Count; k++)
        {
            var p = ps[kept[k]];
            var q = qs[kept[k]];
            affineP[k] = (Fp.Mul(p.X, pz[k]), Fp.Mul(p.Y, pz[k]));
            affineQ[k] = (Fp2.Mul(q.X, qz[k]), Fp2.Mul(q.Y, qz[k]));
        }

        return MillerLoop.Run(affineP, affineQ);
    }
}
