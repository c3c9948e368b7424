// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;

namespace Chhaya.Vkd.Verification;

/// <summary>The building blocks shared by lookup and history verification (AKD <c>verify/base.rs</c>).</summary>
internal static class LabelVerifier
{
    /// <summary>The node label must be the first 32 bytes of VRF(pk, alpha(label, freshness, version)) at full length.</summary>
    public static void VerifyLabel(VkdContext ctx, VersionFreshness freshness, ulong version, ReadOnlySpan<byte> vrfProof, in NodeLabel nodeLabel)
    {
        var alpha = ctx.Config.VrfAlpha(ctx.AkdLabel.Span, freshness, version);
        Span<byte> alphaBytes = stackalloc byte[Digest.Length];
        alpha.CopyTo(alphaBytes);
        Span<byte> output = stackalloc byte[Math.Max(64, ctx.Vrf.OutputLength)];
        if (vrfProof.Length != ctx.Vrf.ProofLength
            || !ctx.Vrf.TryVerify(ctx.VrfPublicKey.Span, alphaBytes, vrfProof, output[..ctx.Vrf.OutputLength]))
        {
            VkdVerificationException.Fail(VkdCheck.VrfProofInvalid, $"VRF proof for {freshness} version {version} does not verify");
        }

        var expected = new NodeLabel(output[..NodeLabel.ValueLength], NodeLabel.MaxBits);
        if (expected != nodeLabel)
        {
            VkdVerificationException.Fail(VkdCheck.VrfLabelMismatch, $"{freshness} version {version} sits at {expected}, the proof uses {nodeLabel}");
        }
    }

    public static void VerifyExistence(VkdContext ctx, VersionFreshness freshness, ulong version, ReadOnlySpan<byte> vrfProof, MembershipProof proof)
    {
        VerifyLabel(ctx, freshness, version, vrfProof, proof.Label);
        TreeProofVerifier.VerifyMembership(ctx.Config, ctx.RootHash, proof);
    }

    public static void VerifyExistenceWithValue(
        VkdContext ctx, ReadOnlySpan<byte> value, ulong epoch, ReadOnlySpan<byte> nonce, ulong version, ReadOnlySpan<byte> vrfProof, MembershipProof proof)
    {
        if (ctx.Config.LeafHashFromValue(value, nonce, epoch) != proof.HashValue)
        {
            VkdVerificationException.Fail(VkdCheck.CommitmentMismatch, $"value, nonce and epoch {epoch} do not open the leaf of version {version}");
        }

        VerifyExistence(ctx, VersionFreshness.Fresh, version, vrfProof, proof);
    }

    public static void VerifyNonExistence(VkdContext ctx, VersionFreshness freshness, ulong version, ReadOnlySpan<byte> vrfProof, NonMembershipProof proof)
    {
        VerifyLabel(ctx, freshness, version, vrfProof, proof.Label);
        TreeProofVerifier.VerifyNonMembership(ctx.Config, ctx.RootHash, proof);
    }
}

/// <summary>What every lookup or history check is relative to.</summary>
internal sealed record VkdContext(
    VkdConfiguration Config,
    IVrfVerifier Vrf,
    ReadOnlyMemory<byte> VrfPublicKey,
    Digest RootHash,
    ulong CurrentEpoch,
    ReadOnlyMemory<byte> AkdLabel);
