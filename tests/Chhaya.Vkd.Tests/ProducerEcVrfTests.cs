// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Safety;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Storage;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Tests;

/// <summary>Our producer with the real ECVRF: its proofs verify with our verifier, in both configurations.</summary>
public class ProducerEcVrfTests
{
    public static TheoryData<string> Configs => new() { "whatsapp_v1", "experimental" };

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task Published_keys_verify_end_to_end(string name)
    {
        var config = AkdVectors.Config(name);
        using var secret = SecretBytes.CopyFrom(ProducerHarness.VrfKey);
        using var prover = new EcVrfProver(secret);
        var store = new InMemoryVkdStore();
        using var dir = await ProducerHarness.OpenAsync(config, prover, store);
        var h1 = await dir.PublishAsync([ProducerHarness.Update("alice", "a1"), ProducerHarness.Update("bob", "b1")]);
        var h2 = await dir.PublishAsync([]);
        var h3 = await dir.PublishAsync([ProducerHarness.Update("alice", "a2")]);
        Assert.Equal(3UL, h3.Head.Epoch);
        Assert.Equal(h1.Head.Root, h2.Head.Root);
        Assert.Equal(h2.Head.Root, h3.Head.PreviousRoot);
        h3.Verify(dir.SigningPublicKey, h2.Head);

        var vrfKey = dir.VrfPublicKey.ToArray();
        var lookup = AkdProofCodec.DecodeLookupProof(AkdProofCodec.Encode(dir.GetLookupProof("alice"u8)));
        var result = VkdVerifier.VerifyLookup(config, EcVrfVerifier.Instance, vrfKey, h3.Head.Root, 3, "alice"u8.ToArray(), lookup);
        Assert.Equal("a2", Encoding.UTF8.GetString(result.Value.Span));
        Assert.Equal(2UL, result.Version);
        Assert.Equal(3UL, result.Epoch);

        var history = AkdProofCodec.DecodeHistoryProof(AkdProofCodec.Encode(dir.GetHistoryProof("alice"u8, HistoryParams.Complete)));
        var versions = VkdVerifier.VerifyHistory(config, EcVrfVerifier.Instance, vrfKey, h3.Head.Root, 3, "alice"u8.ToArray(), history, HistoryParams.Complete);
        Assert.Equal(["a2", "a1"], versions.Select(v => Encoding.UTF8.GetString(v.Value.Span)));

        var genesis = (await dir.GetHeadAsync(0))!;
        var audit = dir.GetAppendOnlyProof(0, 3);
        AppendOnlyVerifier.Verify(config, [genesis.Head.Root, h1.Head.Root, h2.Head.Root, h3.Head.Root], AkdProofCodec.DecodeAppendOnlyProof(AkdProofCodec.Encode(audit)));

        // Reopening from the store gives the same directory.
        using var reopened = await ProducerHarness.OpenAsync(config, prover, store);
        Assert.Equal(h3.Head.Root, reopened.LatestHead.Head.Root);
        VkdVerifier.VerifyLookup(config, EcVrfVerifier.Instance, vrfKey, h3.Head.Root, 3, "bob"u8.ToArray(), reopened.GetLookupProof("bob"u8));
    }
}
