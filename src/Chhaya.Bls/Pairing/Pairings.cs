// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.InteropServices;
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

        var affineP = new List<(Fp, Fp)>(ps.Length);
        var affineQ = new List<(Fp2, Fp2)>(ps.Length);
        for (var i = 0; i < ps.Length; i++)
        {
            if (ps[i].TryToAffineVartime(out var px, out var py) && qs[i].TryToAffineVartime(out var qx, out var qy))
            {
                affineP.Add((px, py));
                affineQ.Add((qx, qy));
            }
        }

        return affineP.Count == 0
            ? Fp12.One
            : MillerLoop.Run(CollectionsMarshal.AsSpan(affineP), CollectionsMarshal.AsSpan(affineQ));
    }
}
