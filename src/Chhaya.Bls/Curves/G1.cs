// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Curves;

/// <summary>G1, the order-r subgroup of E1(Fp): generator, subgroup test and cofactor clearing.</summary>
internal static class G1
{
    /// <summary>|z| for the BLS12-381 parameter z = -0xd201000000010000.</summary>
    internal const ulong AbsZ = 0xd201000000010000;

    /// <summary>h_eff = 1 - z, the cofactor multiple RFC 9380 section 8.8.1 clears with.</summary>
    internal const ulong HEff = 0xd201000000010001;

    public static G1Projective Generator { get; } = G1Projective.FromAffine(
        FpHex.Parse("0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
        FpHex.Parse("0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"));

    /// <summary>A primitive cube root of unity β in Fp, chosen so that φ(x, y) = (βx, y) acts on G1 as [-z^2].</summary>
    private static readonly Fp Beta = FpHex.Parse(
        "0x5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe");

    /// <summary>The endomorphism φ(x, y) = (βx, y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G1Projective Phi(in G1Projective p) => new(Fp.Mul(p.X, Beta), p.Y, p.Z);

    /// <summary>
    /// Subgroup membership by the endomorphism test φ(P) = [-z^2]P (Scott, "A note on group membership
    /// tests for G1, G2 and GT on BLS pairing-friendly curves", 2021, section 4). The point must already
    /// be on the curve. About 128 doublings instead of a 255-bit multiplication by r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsInSubgroup(in G1Projective p)
    {
        var zP = Jacobian.MulVartime(p, AbsZ);
        var z2P = Jacobian.MulVartime(zP, AbsZ);
        return G1Projective.Equal(Phi(p), G1Projective.Neg(z2P));
    }

    /// <summary>Cofactor clearing by h_eff = 1 - z (RFC 9380 section 7 with the value of 8.8.1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static G1Projective ClearCofactor(in G1Projective p) => Jacobian.MulVartime(p, HEff);
}
