// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;

namespace Chhaya.Quorum.Tests;

public class WitnessSetTests
{
    [Fact]
    public void A_set_round_trips_through_its_canonical_encoding()
    {
        var set = Witnesses.FiveOfThree;
        Assert.Equal(5 + (5 * 144), set.Encoded.Length);
        var decoded = WitnessSet.Decode(set.Encoded);
        Assert.Equal(set.Id.ToArray(), decoded.Id.ToArray());
        Assert.Equal(3, decoded.Threshold);
        Assert.Equal(2, decoded.IndexOf(Witnesses.Keys[2].PublicKey));
        Assert.Equal(-1, decoded.IndexOf(Witnesses.Keys[5].PublicKey));
    }

    [Fact]
    public void Sets_refuse_bad_thresholds_duplicates_and_bad_proofs()
    {
        Assert.Equal(QuorumValidationError.BadThreshold, Assert.Throws<QuorumException>(() => WitnessSet.Create(Witnesses.Members.Take(3), 4)).Error);
        Assert.Equal(QuorumValidationError.BadThreshold, Assert.Throws<QuorumException>(() => WitnessSet.Create(Witnesses.Members.Take(3), 0)).Error);
        Assert.Equal(
            QuorumValidationError.DuplicateSigner,
            Assert.Throws<QuorumException>(() => WitnessSet.Create([Witnesses.Members[0], Witnesses.Members[1], Witnesses.Members[0]], 2)).Error);

        // Witness 1 presents witness 0's proof: it does not prove possession of witness 1's key.
        var swapped = new WitnessMember(Witnesses.Members[1].PublicKey, Witnesses.Members[0].ProofOfPossession);
        Assert.Equal(
            QuorumValidationError.BadProofOfPossession,
            Assert.Throws<QuorumException>(() => WitnessSet.Create([Witnesses.Members[0], swapped], 1)).Error);

        // A plain signature by the right key is not a proof of possession (different DST).
        var plain = new WitnessMember(Witnesses.Keys[1].PublicKey, Witnesses.Keys[1].Sign(Witnesses.Keys[1].PublicKey.Bytes));
        Assert.Equal(
            QuorumValidationError.BadProofOfPossession,
            Assert.Throws<QuorumException>(() => WitnessSet.Create([plain], 1)).Error);
    }

    /// <summary>
    /// The rogue-key attack: knowing victim key V, the attacker publishes R = a·G - V. Then V + R = a·G,
    /// so the attacker alone can forge an "aggregate" that FastAggregateVerify accepts for {V, R}. The
    /// attacker cannot know the discrete log of R, so cannot make its proof of possession, and the
    /// witness set refuses it.
    /// </summary>
    [Fact]
    public void A_rogue_key_attack_without_a_valid_proof_of_possession_is_rejected()
    {
        var victim = Witnesses.Keys[0].PublicKey;
        using var attacker = BlsSecretKey.KeyGen(Enumerable.Repeat((byte)0xaa, 32).ToArray());
        var roguePoint = G1Projective.Sub(attacker.PublicKey.Point, victim.Point);
        var rogue = new BlsPublicKey(roguePoint);

        // The forgery works at the level of raw FastAggregateVerify: the victim never signed.
        var message = CoSignedMessage.For(Witnesses.Head);
        var forged = attacker.Sign(message);
        Assert.True(BlsSignatures.FastAggregateVerify([victim, rogue], message, forged));

        // But the rogue key has no proof of possession. The attacker's best tries all fail:
        // its own key's proof, a proof-shaped signature made with its own key, and the victim's proof.
        foreach (var proof in new[] { attacker.ProvePossession(), attacker.Sign(rogue.Bytes), Witnesses.Members[0].ProofOfPossession })
        {
            var member = new WitnessMember(rogue, proof);
            var ex = Assert.Throws<QuorumException>(() => WitnessSet.Create([Witnesses.Members[0], member], 2));
            Assert.Equal(QuorumValidationError.BadProofOfPossession, ex.Error);
        }

        // And against an honest set the forged certificate naming the victim fails.
        var bitmap = new byte[] { 0b0000_0011 };
        var honest = WitnessSet.Create(Witnesses.Members.Take(2), 2);
        var qc = new QuorumCertificate(Witnesses.Head, 2, bitmap, forged);
        Assert.Equal(QuorumValidationError.BadAggregate, qc.Validate(honest, Witnesses.Head));
    }

    [Fact]
    public void Decoding_refuses_malformed_sets()
    {
        var encoded = Witnesses.FiveOfThree.Encoded.ToArray();
        Assert.Throws<QuorumException>(() => WitnessSet.Decode(encoded.AsSpan(0, encoded.Length - 1)));
        var corrupted = (byte[])encoded.Clone();
        corrupted[5] ^= 0x01; // first key's x coordinate
        Assert.Throws<QuorumException>(() => WitnessSet.Decode(corrupted));
        var zeroThreshold = (byte[])encoded.Clone();
        zeroThreshold[1] = 0;
        zeroThreshold[2] = 0;
        Assert.Equal(QuorumValidationError.BadThreshold, Assert.Throws<QuorumException>(() => WitnessSet.Decode(zeroThreshold)).Error);
    }
}
