// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;

namespace Chhaya.P2p.Tests.Kad;

public class RoutingTableTests
{
    private static PeerId RandomPeer()
    {
        using var id = Ed25519Identity.Generate();
        return id.PeerId;
    }

    [Fact]
    public void Distance_and_prefix_length_follow_the_xor_metric()
    {
        var a = KadId.FromHash(Convert.FromHexString("8000000000000000000000000000000000000000000000000000000000000000"));
        var b = KadId.FromHash(new byte[32]);
        Assert.Equal(0, a.CommonPrefixLength(b));
        Assert.Equal(256, a.CommonPrefixLength(a));
        var c = KadId.FromHash(Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001"));
        Assert.Equal(255, b.CommonPrefixLength(c));
        Assert.True(b.Xor(c) < b.Xor(a));

        // The key of a peer is SHA-256 of its multihash bytes (spec, "Distance").
        var peer = RandomPeer();
        Assert.Equal(KadId.FromHash(System.Security.Cryptography.SHA256.HashData(peer.Bytes)), KadId.FromPeer(peer));
    }

    [Fact]
    public void Random_id_with_prefix_lands_in_that_bucket()
    {
        var local = KadId.FromPeer(RandomPeer());
        foreach (var cpl in new[] { 0, 1, 7, 63, 64, 127, 128, 129, 200, 255 })
        {
            Assert.Equal(cpl, local.CommonPrefixLength(local.RandomWithPrefix(cpl)));
        }
    }

    [Fact]
    public void Closest_matches_a_brute_force_sort()
    {
        var table = new RoutingTable(RandomPeer(), bucketSize: 20);
        var peers = Enumerable.Range(0, 200).Select(_ => RandomPeer()).ToList();
        foreach (var p in peers)
        {
            table.TryAdd(p, [], out _);
        }

        var stored = table.Entries().Select(e => e.Peer).ToList();
        var target = KadId.FromPeer(RandomPeer());
        var expected = stored.OrderBy(p => KadId.FromPeer(p).Xor(target)).Take(20).ToList();
        Assert.Equal(expected, table.Closest(target, 20).Select(e => e.Peer).ToList());
        Assert.All(table.Entries(), e => Assert.Equal(table.BucketOf(e.Id), table.LocalId.CommonPrefixLength(e.Id)));
    }

    [Fact]
    public void A_full_bucket_names_its_least_recently_seen_peer_and_keeps_it()
    {
        var table = new RoutingTable(RandomPeer(), bucketSize: 3);

        // Bucket 0 gets half of all random peers: fill it.
        var inBucket0 = new List<PeerId>();
        while (inBucket0.Count < 4)
        {
            var p = RandomPeer();
            if (table.BucketOf(KadId.FromPeer(p)) == 0)
            {
                inBucket0.Add(p);
            }
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RoutingAddResult.Added, table.TryAdd(inBucket0[i], [], out _));
        }

        Assert.Equal(RoutingAddResult.BucketFull, table.TryAdd(inBucket0[3], [], out var oldest));
        Assert.Equal(inBucket0[0], oldest!.Peer);

        // Seeing the oldest again moves it to the back; the next candidate is the second.
        table.MarkSeen(inBucket0[0]);
        Assert.Equal(RoutingAddResult.BucketFull, table.TryAdd(inBucket0[3], [], out oldest));
        Assert.Equal(inBucket0[1], oldest!.Peer);
        Assert.Null(table.Find(inBucket0[3]));

        // After the caller's liveness check fails, it removes the old peer and the new one fits.
        Assert.True(table.Remove(inBucket0[1]));
        Assert.Equal(RoutingAddResult.Added, table.TryAdd(inBucket0[3], [], out _));
        Assert.Equal(RoutingAddResult.Updated, table.TryAdd(inBucket0[3], [], out _));
        Assert.Equal(RoutingAddResult.Self, table.TryAdd(table.Local, [], out _));
        Assert.Equal(3, table.Count);
    }
}
