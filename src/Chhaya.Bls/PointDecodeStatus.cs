// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Bls;

/// <summary>Why a point encoding was refused; <see cref="Ok"/> when it was accepted.</summary>
public enum PointDecodeStatus
{
    /// <summary>The encoding is valid and the point is in the prime-order subgroup.</summary>
    Ok = 0,

    /// <summary>The length is neither the compressed nor the uncompressed size, or contradicts the compression flag.</summary>
    BadLength,

    /// <summary>The flag bits are inconsistent (e.g. infinity with a sign bit, or trailing bits after infinity).</summary>
    BadFlags,

    /// <summary>A coordinate is not below the field modulus p.</summary>
    NonCanonicalCoordinate,

    /// <summary>The coordinates do not satisfy the curve equation (or no y exists for a compressed x).</summary>
    NotOnCurve,

    /// <summary>The point is on the curve but outside the order-r subgroup.</summary>
    NotInSubgroup,

    /// <summary>A public key was the identity point, which KeyValidate refuses.</summary>
    IdentityPoint,
}
