// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using System.Text.Json;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Tests;

/// <summary>AKD's client vectors (test_vectors/*.yaml) against the derived expectations.</summary>
public class ClientVectorTests
{
    public static TheoryData<string> Configs => new() { "whatsapp_v1", "experimental" };

    private static readonly EcVrfVerifier Vrf = EcVrfVerifier.Instance;

    [Theory]
    [MemberData(nameof(Configs))]
    public void Lookup_proof_verifies_with_the_expected_result(string name)
    {
        var v = AkdVectors.Client(name);
        var e = AkdVectors.Expectations(name);
        var proof = AkdProofCodec.DecodeLookupProof(v.LookupProof);
        Assert.Equal(v.LookupProof, AkdProofCodec.Encode(proof));
        var result = VkdVerifier.VerifyLookup(AkdVectors.Config(name), Vrf, v.VrfPublicKey, v.RootHash, v.Epoch, v.Label, proof);
        var expected = e.GetProperty("expected").GetProperty("lookup_verify");
        AssertResult(expected, result);
        Assert.Equal(49UL, v.Epoch);
        Assert.Equal(e.GetProperty("inputs").GetProperty("root_hash").GetString(), v.RootHash.ToHex());
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Lookup_intermediates_match(string name)
    {
        var v = AkdVectors.Client(name);
        var config = AkdVectors.Config(name);
        var i = AkdVectors.Expectations(name).GetProperty("lookup_intermediates");
        var proof = AkdProofCodec.DecodeLookupProof(v.LookupProof);
        var commitment = config.Commitment(proof.Value.Span, proof.CommitmentNonce.Span);
        Assert.Equal(i.GetProperty("commitment").GetString(), commitment.ToHex());
        Assert.Equal(i.GetProperty("leaf_hash").GetString(), config.LeafHash(commitment, proof.Epoch).ToHex());
        Assert.Equal(i.GetProperty("leaf_hash").GetString(), proof.ExistenceProof.HashValue.ToHex());
        CheckLabel(config, v, i.GetProperty("existence"), VersionFreshness.Fresh, 3, proof.ExistenceVrfProof, proof.ExistenceProof.Label);
        CheckLabel(config, v, i.GetProperty("marker"), VersionFreshness.Fresh, 2, proof.MarkerVrfProof, proof.MarkerProof.Label);
        CheckLabel(config, v, i.GetProperty("freshness"), VersionFreshness.Stale, 3, proof.FreshnessVrfProof, proof.FreshnessProof.Label);

        // The tree parts alone, without the VRF.
        TreeProofVerifier.VerifyMembership(config, v.RootHash, proof.ExistenceProof);
        TreeProofVerifier.VerifyMembership(config, v.RootHash, proof.MarkerProof);
        TreeProofVerifier.VerifyNonMembership(config, v.RootHash, proof.FreshnessProof);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void History_proofs_verify_with_the_expected_results(string name)
    {
        var v = AkdVectors.Client(name);
        var e = AkdVectors.Expectations(name).GetProperty("expected");
        var config = AkdVectors.Config(name);

        var recent = AkdProofCodec.DecodeHistoryProof(v.HistoryMostRecent1);
        Assert.Equal(v.HistoryMostRecent1, AkdProofCodec.Encode(recent));
        var r1 = VkdVerifier.VerifyHistory(config, Vrf, v.VrfPublicKey, v.RootHash, v.Epoch, v.Label, recent, HistoryParams.MostRecent(1));
        AssertResults(e.GetProperty("key_history_verify_most_recent_1"), r1, recent);

        var complete = AkdProofCodec.DecodeHistoryProof(v.HistoryComplete);
        Assert.Equal(v.HistoryComplete, AkdProofCodec.Encode(complete));
        var all = VkdVerifier.VerifyHistory(config, Vrf, v.VrfPublicKey, v.RootHash, v.Epoch, v.Label, complete, HistoryParams.Complete);
        AssertResults(e.GetProperty("key_history_verify_complete"), all, complete);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Derived_negative_cases_are_rejected(string name)
    {
        var v = AkdVectors.Client(name);
        var config = AkdVectors.Config(name);
        Assert.Equal(10, AkdVectors.Expectations(name).GetProperty("negative_cases").GetArrayLength());
        var lookup = AkdProofCodec.DecodeLookupProof(v.LookupProof);
        VerifyResult Lookup(LookupProof p, Digest? root = null, byte[]? pk = null, byte[]? label = null, ulong? epoch = null) =>
            VkdVerifier.VerifyLookup(config, Vrf, pk ?? v.VrfPublicKey, root ?? v.RootHash, epoch ?? v.Epoch, label ?? v.Label, p);

        var root = v.RootHash.ToArray();
        root[0] ^= 1;
        Assert.Equal(VkdCheck.MembershipRootMismatch, Reject(() => Lookup(lookup, root: new Digest(root))));
        var pk = (byte[])v.VrfPublicKey.Clone();
        pk[0] ^= 1;
        Assert.Equal(VkdCheck.VrfProofInvalid, Reject(() => Lookup(lookup, pk: pk)));
        Assert.Equal(VkdCheck.VrfProofInvalid, Reject(() => Lookup(lookup, label: "17"u8.ToArray())));
        Assert.Equal(VkdCheck.LookupVersionOutOfRange, Reject(() => Lookup(lookup, epoch: 2)));
        Assert.Equal(VkdCheck.CommitmentMismatch, Reject(() => Lookup(lookup with { Value = "16,47"u8.ToArray() })));
        Assert.Equal(VkdCheck.CommitmentMismatch, Reject(() => Lookup(lookup with { Epoch = 47 })));

        var recent = AkdProofCodec.DecodeHistoryProof(v.HistoryMostRecent1);
        var complete = AkdProofCodec.DecodeHistoryProof(v.HistoryComplete);
        IReadOnlyList<VerifyResult> History(HistoryProof p, HistoryParams hp) =>
            VkdVerifier.VerifyHistory(config, Vrf, v.VrfPublicKey, v.RootHash, v.Epoch, v.Label, p, hp);
        Assert.Equal(VkdCheck.HistoryParamsMismatch, Reject(() => History(recent, HistoryParams.Complete)));
        Assert.Equal(VkdCheck.HistoryParamsMismatch, Reject(() => History(complete, HistoryParams.MostRecent(1))));
        var dropped = complete with
        {
            FutureMarkerVrfProofs = complete.FutureMarkerVrfProofs.SkipLast(1).ToList(),
            NonExistenceOfFutureMarkerProofs = complete.NonExistenceOfFutureMarkerProofs.SkipLast(1).ToList(),
        };
        Assert.Equal(VkdCheck.HistoryMarkerCount, Reject(() => History(dropped, HistoryParams.Complete)));
        var swapped = complete with { UpdateProofs = [complete.UpdateProofs[1], complete.UpdateProofs[0], .. complete.UpdateProofs.Skip(2)] };
        Assert.Equal(VkdCheck.HistoryVersionsInvalid, Reject(() => History(swapped, HistoryParams.Complete)));
    }

    [Fact]
    public void Marker_versions_match_akd()
    {
        foreach (var c in AkdVectors.MarkerCases().EnumerateArray())
        {
            var (past, future) = MarkerVersions.Compute(
                c.GetProperty("start_version").GetUInt64(), c.GetProperty("end_version").GetUInt64(), c.GetProperty("epoch").GetUInt64());
            Assert.Equal(c.GetProperty("past").EnumerateArray().Select(x => x.GetUInt64()), past);
            Assert.Equal(c.GetProperty("future").EnumerateArray().Select(x => x.GetUInt64()), future);
        }
    }

    internal static VkdCheck Reject(Func<object> action) => Assert.Throws<VkdVerificationException>(action).Check;

    private static void CheckLabel(Configuration.VkdConfiguration config, ClientVector v, JsonElement x, VersionFreshness f, ulong version, ReadOnlyMemory<byte> vrfProof, NodeLabel label)
    {
        Assert.Equal(x.GetProperty("version").GetUInt64(), version);
        var alpha = config.VrfAlpha(v.Label, f, version);
        Assert.Equal(x.GetProperty("vrf_alpha").GetString(), alpha.ToHex());
        var beta = new byte[64];
        Assert.True(Vrf.TryVerify(v.VrfPublicKey, alpha.ToArray(), vrfProof.Span, beta));
        Assert.Equal(x.GetProperty("node_label").GetString(), Convert.ToHexStringLower(beta.AsSpan(0, 32)));
        Assert.Equal(x.GetProperty("node_label").GetString(), label.ValueHex());
        Assert.Equal(256, label.BitLength);
    }

    private static void AssertResult(JsonElement expected, VerifyResult actual)
    {
        Assert.Equal(expected.GetProperty("epoch").GetUInt64(), actual.Epoch);
        Assert.Equal(expected.GetProperty("version").GetUInt64(), actual.Version);
        Assert.Equal(expected.GetProperty("value_utf8").GetString(), Encoding.UTF8.GetString(actual.Value.Span));
    }

    private static void AssertResults(JsonElement expected, IReadOnlyList<VerifyResult> actual, HistoryProof proof)
    {
        var results = expected.GetProperty("results");
        Assert.Equal(results.GetArrayLength(), actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            AssertResult(results[i], actual[i]);
        }

        Assert.Equal(expected.GetProperty("past_marker_versions").GetArrayLength(), proof.PastMarkerVrfProofs.Count);
        Assert.Equal(expected.GetProperty("future_marker_versions").GetArrayLength(), proof.FutureMarkerVrfProofs.Count);
    }
}
