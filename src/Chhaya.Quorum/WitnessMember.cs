// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;

namespace Chhaya.Quorum;

/// <summary>One witness: its BLS public key and the proof of possession that rules out a rogue key.</summary>
/// <param name="PublicKey">The witness's validated BLS public key (G1).</param>
/// <param name="ProofOfPossession">PopProve of the witness's secret key.</param>
public sealed record WitnessMember(BlsPublicKey PublicKey, BlsSignature ProofOfPossession);
