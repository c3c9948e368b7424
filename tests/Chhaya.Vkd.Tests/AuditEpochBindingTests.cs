// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Tests;

/// <summary>Empty audit steps hash no epoch; their epoch numbers are bound by consecutiveness and the start epoch.</summary>
public class AuditEpochBindingTests
{
    [Fact]
    public async Task Epoch_numbers_of_empty_steps_cannot_be_changed()
    {
        var vrf = new TestHashVrf(ProducerHarness.VrfKey);
        using var dir = await ProducerHarness.OpenAsync(AkdVectors.Config("whatsapp_v1"), vrf);
        var heads = new List<Epochs.SignedEpochHead> { dir.LatestHead };
        heads.Add(await dir.PublishAsync([]));
        heads.Add(await dir.PublishAsync([ProducerHarness.Update("alice", "a1")]));
        heads.Add(await dir.PublishAsync([]));
        var roots = heads.Select(h => h.Head.Root).ToList();
        var proof = dir.GetAppendOnlyProof(0, 3);
        AppendOnlyVerifier.Verify(dir.Configuration, roots, proof, startEpoch: 0);

        var shuffled = new AppendOnlyProof(proof.Proofs, [7, 1, 2]);
        Assert.Throws<VkdVerificationException>(() => AppendOnlyVerifier.Verify(dir.Configuration, roots, shuffled, startEpoch: 0));
        var shifted = new AppendOnlyProof(proof.Proofs, [1, 2, 3]);
        Assert.Throws<VkdVerificationException>(() => AppendOnlyVerifier.Verify(dir.Configuration, roots, shifted, startEpoch: 0));
        var lastEmpty = new AppendOnlyProof(proof.Proofs, [0, 1, 9]);
        Assert.Throws<VkdVerificationException>(() => AppendOnlyVerifier.Verify(dir.Configuration, roots, lastEmpty));
    }
}
