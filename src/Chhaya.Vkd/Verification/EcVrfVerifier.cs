// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;

namespace Chhaya.Vkd.Verification;

/// <summary>The RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI verifier of Chhaya.Crypto, as AKD's leaf-position VRF.</summary>
/// <remarks>
/// Chhaya.Crypto rejects s &gt;= L and non-canonical points, where AKD reduces s and accepts any point
/// that decompresses; honest AKD proofs are canonical, so only malleated proofs are treated differently.
/// </remarks>
public sealed class EcVrfVerifier : IVrfVerifier
{
    /// <summary>The one instance.</summary>
    public static EcVrfVerifier Instance { get; } = new();

    public int ProofLength => EcVrf.ProofLength;

    public int OutputLength => EcVrf.OutputLength;

    public bool TryVerify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, ReadOnlySpan<byte> proof, Span<byte> output) =>
        EcVrf.Verify(publicKey, alpha, proof, output);
}
