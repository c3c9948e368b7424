// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;

namespace Chhaya.Bls.Fields;

/// <summary>
/// Variable-time operations for public values only (points and field elements derived from public
/// keys, signatures and message hashes). Their running time depends on the input: never call them on
/// anything derived from a secret key.
/// </summary>
internal readonly partial struct Fp
{
    /// <summary>R^3 mod p (R = 2^385) as plain limbs: turns the plain inverse of a Montgomery value into Montgomery form.</summary>
    private static readonly Fp R3 = new(0x48635eca660eff, 0x31e81282df9078, 0x409b79b1f4bbe0, 0x330c1674e8398b, 0x732bb789c9065b, 0x5348e875510c35, 0x1cb9b5177cacd);

    /// <summary>
    /// a^-1 (0 maps to 0) by Bernstein–Yang divsteps in batches of 62 (<see cref="FpDivstepInverse"/>), costing
    /// about as much as 30 multiplications. Variable time: public (or blinded) values only.
    /// </summary>
    /// <remarks>
    /// It works on the stored limbs A = a·R mod p as a plain integer and gets A^-1 = a^-1·R^-1; one Montgomery
    /// multiplication by R^3 gives a^-1·R, the Montgomery form of the inverse. Any limbs below 2^55 are accepted,
    /// reduced or not (an unreduced multiple of p, like a reduced zero, maps to 0).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp InvertVartime(in Fp a) =>
        !a.IsZero && FpDivstepInverse.TryInvert(a, out var plainInverse) ? Mul(plainInverse, R3) : Zero;
}
