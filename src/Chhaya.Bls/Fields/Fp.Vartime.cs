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
    /// <summary>
    /// a^-1 (0 maps to 0) by Bernstein–Yang divsteps in batches of 62 (<see cref="FpDivstepInverse"/>), costing
    /// about as much as 30 multiplications. Variable time: public (or blinded) values only.
    /// </summary>
    /// <remarks>
    /// It works on the stored limbs A = a·R mod p as a plain integer and, with its cofactors started at R² instead
    /// of 1, ends with A^-1·R² = a^-1·R, the Montgomery form of the inverse. Any limbs below 2^55 are accepted,
    /// reduced or not (an unreduced multiple of p, like a reduced zero, maps to 0).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fp InvertVartime(in Fp a) =>
        !a.IsZero && FpDivstepInverse.TryInvert(a, out var inverse) ? inverse : Zero;
}
