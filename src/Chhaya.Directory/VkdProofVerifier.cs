// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Directory;

/// <summary>
/// Client-side proof processing: a lookup proof, the signed epoch head it claims and that head's quorum
/// certificate become one accept/reject decision. Nothing is accepted until the head decodes, names the
/// trusted directory, carries the directory's signature, does not roll the epoch back, is certified by
/// the witness quorum, and the lookup proof verifies (VRF, commitment opening, membership, marker and
/// freshness) against the certified root. Pure: no I/O, never throws on adversarial input.
/// </summary>
public sealed class VkdProofVerifier(DirectoryTrust trust, IVrfVerifier vrf, IQuorumCertificateCheck quorum)
{
    /// <summary>Verifies a lookup for <paramref name="label"/>.</summary>
    /// <param name="label">The directory label looked up.</param>
    /// <param name="signedHead">The 176-byte signed epoch head the proof is for.</param>
    /// <param name="quorumCertificate">The quorum certificate over that head.</param>
    /// <param name="lookupProof">The AKD-encoded lookup proof.</param>
    /// <param name="minimumEpoch">The newest epoch this client already accepted; older heads are refused.</param>
    public LookupDecision VerifyVkdProof(
        ReadOnlyMemory<byte> label, ReadOnlySpan<byte> signedHead, ReadOnlySpan<byte> quorumCertificate, ReadOnlySpan<byte> lookupProof, ulong minimumEpoch = 0)
    {
        ArgumentNullException.ThrowIfNull(trust);
        SignedEpochHead head;
        try
        {
            head = SignedEpochHead.Decode(signedHead);
        }
        catch (MalformedInputException e)
        {
            return Reject(LookupVerdict.HeadMalformed, e.Message);
        }

        if (head.Head.DirectoryId != trust.DirectoryId)
        {
            return Reject(LookupVerdict.WrongDirectory, $"head is for directory {head.Head.DirectoryId}");
        }

        if (!head.VerifySignature(trust.SigningPublicKey.Span))
        {
            return Reject(LookupVerdict.HeadSignatureInvalid, $"signature on epoch {head.Head.Epoch} does not verify");
        }

        if (head.Head.Epoch < minimumEpoch)
        {
            return Reject(LookupVerdict.EpochRolledBack, $"epoch {head.Head.Epoch} is older than accepted epoch {minimumEpoch}");
        }

        if (!quorum.IsCertified(head, quorumCertificate))
        {
            return Reject(LookupVerdict.NotCertified, $"epoch {head.Head.Epoch} has no valid quorum certificate");
        }

        Vkd.Proofs.LookupProof proof;
        try
        {
            proof = AkdProofCodec.DecodeLookupProof(lookupProof);
        }
        catch (MalformedInputException e)
        {
            return Reject(LookupVerdict.ProofMalformed, e.Message);
        }

        try
        {
            var result = VkdVerifier.VerifyLookup(trust.Configuration, vrf, trust.VrfPublicKey, head.Head.Root, head.Head.Epoch, label, proof);
            return new LookupDecision(LookupVerdict.Accepted, result, null, $"version {result.Version} from epoch {result.Epoch}");
        }
        catch (VkdVerificationException e)
        {
            return new LookupDecision(LookupVerdict.ProofInvalid, null, e.Check, e.Message);
        }
    }

    private static LookupDecision Reject(LookupVerdict verdict, string detail) => new(verdict, null, null, detail);
}
