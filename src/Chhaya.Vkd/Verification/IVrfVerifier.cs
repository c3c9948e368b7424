// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Vkd.Verification;

/// <summary>
/// ECVRF-EDWARDS25519-SHA512-TAI verification (RFC 9381, suite 0x03), the VRF AKD uses to place
/// leaves. Kept behind an interface so the tree code does not depend on one implementation.
/// </summary>
public interface IVrfVerifier
{
    /// <summary>Length of a proof (80 for suite 0x03).</summary>
    int ProofLength { get; }

    /// <summary>Length of the output beta (64 for suite 0x03).</summary>
    int OutputLength { get; }

    /// <summary>
    /// Verifies <paramref name="proof"/> for <paramref name="alpha"/> under <paramref name="publicKey"/>
    /// and on success writes beta into <paramref name="output"/>. Malformed keys or proofs return false.
    /// </summary>
    bool TryVerify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, ReadOnlySpan<byte> proof, Span<byte> output);
}

/// <summary>The secret side of the VRF, used by a directory that publishes.</summary>
public interface IVrfProver
{
    /// <summary>The public key that verifies this prover's proofs.</summary>
    ReadOnlySpan<byte> PublicKey { get; }

    /// <summary>Writes the proof for <paramref name="alpha"/> (80 bytes) and its output beta (64 bytes).</summary>
    void Prove(ReadOnlySpan<byte> alpha, Span<byte> proof, Span<byte> output);
}
