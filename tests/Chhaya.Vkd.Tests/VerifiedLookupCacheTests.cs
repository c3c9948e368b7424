// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Tests;

public class VerifiedLookupCacheTests
{
    [Fact]
    public async Task Only_verified_results_enter_the_cache()
    {
        var vrf = new TestHashVrf(ProducerHarness.VrfKey);
        using var dir = await ProducerHarness.OpenAsync(WhatsAppV1Configuration.Instance, vrf);
        var head = await dir.PublishAsync([ProducerHarness.Update("alice", "k1"), ProducerHarness.Update("bob", "k2")]);
        var fetcher = new LocalDirectoryFetcher(dir);
        var proof = await fetcher.FetchLookupProofAsync(head.Head.DirectoryId, "alice"u8.ToArray());
        var cache = new VerifiedLookupCache(WhatsAppV1Configuration.Instance, vrf, ProducerHarness.VrfKey, capacity: 1);

        // A proof for alice offered as bob's is refused and not cached.
        Assert.Throws<VkdVerificationException>(() => cache.VerifyAndAdd("bob"u8.ToArray(), head.Head.Root, head.Head.Epoch, proof));
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet("bob"u8, head.Head.Root, out _));

        var result = cache.VerifyAndAdd("alice"u8.ToArray(), head.Head.Root, head.Head.Epoch, proof);
        Assert.True(cache.TryGet("alice"u8, head.Head.Root, out var cached));
        Assert.Equal(result, cached);
        Assert.False(cache.TryGet("alice"u8, default, out _));

        // Bounded: a second entry evicts the first.
        cache.VerifyAndAdd("bob"u8.ToArray(), head.Head.Root, head.Head.Epoch, await fetcher.FetchLookupProofAsync(head.Head.DirectoryId, "bob"u8.ToArray()));
        Assert.Equal(1, cache.Count);
        Assert.False(cache.TryGet("alice"u8, head.Head.Root, out _));

        Assert.NotNull(await fetcher.FetchSignedHeadAsync(head.Head.DirectoryId, 1));
        Assert.Null(await fetcher.FetchSignedHeadAsync(default, 1));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => fetcher.FetchAppendOnlyProofAsync(default, 0, 1));
        Assert.NotEmpty(await fetcher.FetchAppendOnlyProofAsync(head.Head.DirectoryId, 0, 1));
    }
}
