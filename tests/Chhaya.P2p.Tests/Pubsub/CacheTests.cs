// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.P2p.Pubsub;

namespace Chhaya.P2p.Tests.Pubsub;

public class CacheTests
{
    [Fact]
    public void Message_cache_gossips_recent_windows_and_forgets_old_ones()
    {
        var cache = new MessageCache(historyLength: 3, historyGossip: 2);
        var a = new MessageId([1]);
        var b = new MessageId([2]);
        var c = new MessageId([3]);
        cache.Put(a, new PubsubMessage { Topic = "t" });
        cache.Shift();
        cache.Put(b, new PubsubMessage { Topic = "t" });
        cache.Put(c, new PubsubMessage { Topic = "u" });
        Assert.Equal([b, a], cache.GossipIds("t"));
        cache.Shift();
        Assert.Equal([b], cache.GossipIds("t"));
        Assert.NotNull(cache.Get(a));
        cache.Shift();
        Assert.Null(cache.Get(a));
        Assert.NotNull(cache.Get(b));
        cache.Shift();
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Message_cache_counts_iwant_requests_per_peer()
    {
        using var id = Ed25519Identity.Generate();
        var cache = new MessageCache(5, 3);
        var m = new MessageId([7]);
        cache.Put(m, new PubsubMessage { Topic = "t" });
        Assert.Equal(1, cache.GetForPeer(m, id.PeerId).Count);
        Assert.Equal(2, cache.GetForPeer(m, id.PeerId).Count);
        Assert.Null(cache.GetForPeer(new MessageId([8]), id.PeerId).Message);
    }

    [Fact]
    public void Seen_cache_expires_and_is_bounded()
    {
        var now = DateTimeOffset.UnixEpoch;
        var seen = new SeenCache(TimeSpan.FromSeconds(10), maxEntries: 3);
        Assert.True(seen.Add(new MessageId([1]), now));
        Assert.False(seen.Add(new MessageId([1]), now));
        seen.Add(new MessageId([2]), now + TimeSpan.FromSeconds(5));
        seen.Add(new MessageId([3]), now + TimeSpan.FromSeconds(5));
        seen.Add(new MessageId([4]), now + TimeSpan.FromSeconds(5));
        Assert.Equal(3, seen.Count);
        Assert.False(seen.Contains(new MessageId([1])));
        seen.Sweep(now + TimeSpan.FromSeconds(16));
        Assert.Equal(0, seen.Count);
    }

    [Fact]
    public void Options_reject_inconsistent_degrees()
    {
        Assert.Throws<ArgumentException>(() => new GossipsubOptions { D = 4, DLow = 5 }.Validate());
        Assert.Throws<ArgumentException>(() => new GossipsubOptions { DOut = 4 }.Validate());
        Assert.Throws<ArgumentException>(() => new GossipsubOptions { Thresholds = new PeerScoreThresholds { GraylistThreshold = 0 } }.Validate());
        new GossipsubOptions().Validate();
    }
}
