// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Bls.Fields;

/// <summary>
/// Constants of the p-power Frobenius map on the tower, all powers of ξ = 1 + u. They were computed
/// with an independent big-integer script and are re-derived in the tests from their definitions.
/// </summary>
internal static class FrobeniusConstants
{
    /// <summary>ξ^((p-1)/3): v^p = v · V1.</summary>
    public static readonly Fp2 V1 = Fp2.FromHex(
        "0x0",
        "0x1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaac");

    /// <summary>ξ^(2(p-1)/3): (v^2)^p = v^2 · V2.</summary>
    public static readonly Fp2 V2 = Fp2.FromHex(
        "0x1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaad",
        "0x0");

    /// <summary>ξ^((p-1)/6): w^p = w · W.</summary>
    public static readonly Fp2 W = Fp2.FromHex(
        "0x1904d3bf02bb0667c231beb4202c0d1f0fd603fd3cbd5f4f7b2443d784bab9c4f67ea53d63e7813d8d0775ed92235fb8",
        "0x00fc3e2b36c4e03288e9e902231f9fb854a14787b6c7b36fec0c8ec971f63c5f282d5ac14d6c7ec22cf78a126ddc4af3");
}
