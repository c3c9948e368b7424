// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Curves;

/// <summary>G2, the order-r subgroup of E2(Fp2): generator, the ψ endomorphism, subgroup test, cofactor clearing.</summary>
internal static class G2
{
    public static G2Projective Generator { get; } = G2Projective.FromAffine(
        Fp2.FromHex(
            "0x024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
            "0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"),
        Fp2.FromHex(
            "0x0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
            "0x0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"));

    /// <summary>1 / ξ^((p-1)/3), the x factor of ψ (RFC 9380 appendix G.3, psi).</summary>
    private static readonly Fp2 PsiX = Fp2.FromHex(
        "0x0",
        "0x1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaad");

    /// <summary>1 / ξ^((p-1)/2), the y factor of ψ.</summary>
    private static readonly Fp2 PsiY = Fp2.FromHex(
        "0x135203e60180a68ee2e9c448d77a2cd91c3dedd930b1cf60ef396489f61eb45e304466cf3e67fa0af1ee7b04121bdea2",
        "0x06af0e0437ff400b6831e36d6bd17ffe48395dabc2d3435e77f76e17009241c5ee67992f72ec05f4c81084fbede3cc09");

    /// <summary>ψ = untwist ∘ Frobenius ∘ twist, applied to projective coordinates.</summary>
    public static G2Projective Psi(in G2Projective p) => new(
        Fp2.Mul(Fp2.Conjugate(p.X), PsiX),
        Fp2.Mul(Fp2.Conjugate(p.Y), PsiY),
        Fp2.Conjugate(p.Z));

    /// <summary>[z]P for the negative curve parameter z; variable time, for public points (hashing, subgroup tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G2Projective MulByZ(in G2Projective p) => G2Projective.Neg(Jacobian.MulVartime(p, G1.AbsZ));

    /// <summary>
    /// Subgroup membership by ψ(P) = [z]P (Scott 2021, section 5); the point must be on the curve.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsInSubgroup(in G2Projective p) => G2Projective.Equal(Psi(p), MulByZ(p));

    /// <summary>
    /// Multiplication by h_eff with the endomorphism method of Budroni and Pintore, exactly as RFC 9380
    /// appendix G.3 (clear_cofactor_bls12381_g2) lays it out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G2Projective ClearCofactor(in G2Projective p)
    {
        var t1 = MulByZ(p);
        var t2 = Psi(p);
        var t3 = Psi(Psi(G2Projective.Double(p)));
        t3 = G2Projective.Sub(t3, t2);
        t2 = G2Projective.Add(t1, t2);
        t2 = MulByZ(t2);
        t3 = G2Projective.Add(t3, t2);
        t3 = G2Projective.Sub(t3, t1);
        return G2Projective.Sub(t3, p);
    }
}
