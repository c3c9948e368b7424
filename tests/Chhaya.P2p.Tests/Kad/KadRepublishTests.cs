// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Kad;

namespace Chhaya.P2p.Tests.Kad;

/// <summary>The periodic refresh re-puts our own records, so peers that join later receive them.</summary>
public class KadRepublishTests
{
    [Fact]
    public async Task Own_records_are_republished_to_peers_that_joined_later()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var seed = await KadNode.StartAsync([]);
        await using var writer = await KadNode.StartAsync([seed.Address], refreshInterval: TimeSpan.FromMilliseconds(300), recordRepublishInterval: TimeSpan.FromMilliseconds(1));
        await writer.Dht.BootstrapAsync(cts.Token);
        var (key, value) = SignedRecord.Create(writer.Identity, "prekeys", 1, "bundle"u8);
        await writer.Dht.PutValueAsync(key, value, cts.Token);
        Assert.NotNull(seed.Dht.Records.Get(key));

        await using var late = await KadNode.StartAsync([seed.Address]);
        await late.Dht.BootstrapAsync(cts.Token);

        // Nobody else puts and the late node never asks, so the record can reach it only by republication.
        for (var i = 0; i < 100 && late.Dht.Records.Get(key) is null; i++)
        {
            await Task.Delay(100, cts.Token);
        }

        Assert.Equal(value, late.Dht.Records.Get(key)?.Value);
    }
}
