// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Curves;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.HashToCurve;

/// <summary>
/// The RFC 9380 suites BLS12381G1_XMD:SHA-256_SSWU_RO_/NU_ and BLS12381G2_XMD:SHA-256_SSWU_RO_/NU_
/// (sections 8.8.1 and 8.8.2): hash_to_field, map_to_curve (SSWU then isogeny), clear_cofactor.
/// </summary>
internal static class Hasher
{
    /// <summary>hash_to_curve into G2 (random-oracle variant, two field elements).</summary>
    public static G2Projective HashToG2(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        Span<Fp2> u = stackalloc Fp2[2];
        HashToField.ToFp2(message, dst, u);
        var q = G2Projective.Add(MapToG2(u[0]), MapToG2(u[1]));
        return G2.ClearCofactor(q);
    }

    /// <summary>encode_to_curve into G2 (non-uniform variant, one field element).</summary>
    public static G2Projective EncodeToG2(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        Span<Fp2> u = stackalloc Fp2[1];
        HashToField.ToFp2(message, dst, u);
        return G2.ClearCofactor(MapToG2(u[0]));
    }

    public static G1Projective HashToG1(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        Span<Fp> u = stackalloc Fp[2];
        HashToField.ToFp(message, dst, u);
        var q = G1Projective.Add(MapToG1(u[0]), MapToG1(u[1]));
        return G1.ClearCofactor(q);
    }

    public static G1Projective EncodeToG1(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst)
    {
        Span<Fp> u = stackalloc Fp[1];
        HashToField.ToFp(message, dst, u);
        return G1.ClearCofactor(MapToG1(u[0]));
    }

    /// <summary>map_to_curve for G2: a point of E2 not yet in the subgroup.</summary>
    internal static G2Projective MapToG2(in Fp2 u)
    {
        var (x, y) = Sswu.MapG2(u);
        return Isogeny.MapG2(x, y);
    }

    internal static G1Projective MapToG1(in Fp u)
    {
        var (x, y) = Sswu.MapG1(u);
        return Isogeny.MapG1(x, y);
    }
}
