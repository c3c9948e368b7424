// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Kad;

/// <summary>One peer in the routing table, with the addresses we last learned for it.</summary>
public sealed record RoutingEntry(PeerId Peer, KadId Id, IReadOnlyList<Multiaddr> Addresses, DateTimeOffset LastSeen);

/// <summary>What <see cref="RoutingTable.TryAdd"/> did.</summary>
public enum RoutingAddResult
{
    /// <summary>The peer was new and its bucket had room.</summary>
    Added,

    /// <summary>The peer was already there; its addresses and last-seen time were refreshed.</summary>
    Updated,

    /// <summary>The bucket is full; the caller should check the returned least-recently-seen peer and evict it only if it is dead.</summary>
    BucketFull,

    /// <summary>The peer is ourselves.</summary>
    Self,
}

/// <summary>
/// The Kademlia routing table (kad-dht spec, "Kademlia routing table"): 256 k-buckets, bucket i holding peers whose
/// key shares exactly i leading bits with ours. Within a bucket, peers are ordered least recently seen first, as in
/// the Kademlia paper: a full bucket keeps its old, proven peers unless a liveness check says they are gone, which
/// resists eviction floods by fresh sybils. Thread-safe.
/// </summary>
public sealed class RoutingTable
{
    private readonly List<RoutingEntry>[] _buckets = new List<RoutingEntry>[KadId.Bits];
    private readonly Dictionary<PeerId, int> _index = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    public RoutingTable(PeerId local, int bucketSize = 20, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketSize, 1);
        Local = local;
        LocalId = KadId.FromPeer(local);
        BucketSize = bucketSize;
        _time = time ?? TimeProvider.System;
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = [];
        }
    }

    public PeerId Local { get; }

    public KadId LocalId { get; }

    public int BucketSize { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>The bucket a key-space point falls into (its common prefix length with us), or -1 for our own id.</summary>
    public int BucketOf(KadId id)
    {
        var cpl = LocalId.CommonPrefixLength(id);
        return cpl >= KadId.Bits ? -1 : cpl;
    }

    /// <summary>Adds or refreshes <paramref name="peer"/>. On <see cref="RoutingAddResult.BucketFull"/>, <paramref name="oldest"/> is the eviction candidate.</summary>
    public RoutingAddResult TryAdd(PeerId peer, IReadOnlyList<Multiaddr> addresses, out RoutingEntry? oldest)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(addresses);
        oldest = null;
        var id = KadId.FromPeer(peer);
        var b = BucketOf(id);
        if (b < 0)
        {
            return RoutingAddResult.Self;
        }

        lock (_lock)
        {
            var bucket = _buckets[b];
            var now = _time.GetUtcNow();
            var at = bucket.FindIndex(e => e.Peer.Equals(peer));
            if (at >= 0)
            {
                var old = bucket[at];
                bucket.RemoveAt(at);
                bucket.Add(old with { Addresses = addresses.Count > 0 ? addresses : old.Addresses, LastSeen = now });
                return RoutingAddResult.Updated;
            }

            if (bucket.Count >= BucketSize)
            {
                oldest = bucket[0];
                return RoutingAddResult.BucketFull;
            }

            bucket.Add(new RoutingEntry(peer, id, addresses, now));
            _index[peer] = b;
            return RoutingAddResult.Added;
        }
    }

    /// <summary>Moves <paramref name="peer"/> to the most-recently-seen end of its bucket (it answered us).</summary>
    public void MarkSeen(PeerId peer)
    {
        lock (_lock)
        {
            if (!_index.TryGetValue(peer, out var b))
            {
                return;
            }

            var bucket = _buckets[b];
            var at = bucket.FindIndex(e => e.Peer.Equals(peer));
            var e = bucket[at];
            bucket.RemoveAt(at);
            bucket.Add(e with { LastSeen = _time.GetUtcNow() });
        }
    }

    public bool Remove(PeerId peer)
    {
        lock (_lock)
        {
            if (!_index.Remove(peer, out var b))
            {
                return false;
            }

            _buckets[b].RemoveAll(e => e.Peer.Equals(peer));
            return true;
        }
    }

    public RoutingEntry? Find(PeerId peer)
    {
        lock (_lock)
        {
            return _index.TryGetValue(peer, out var b) ? _buckets[b].Find(e => e.Peer.Equals(peer)) : null;
        }
    }

    /// <summary>The <paramref name="count"/> peers closest to <paramref name="target"/> by XOR distance, closest first.</summary>
    public IReadOnlyList<RoutingEntry> Closest(KadId target, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            // At most 256 * k entries: a full sort is cheap and obviously right.
            return [.. _buckets.SelectMany(b => b).OrderBy(e => e.Id.Xor(target)).Take(count)];
        }
    }

    /// <summary>All entries, for diagnostics and tests.</summary>
    public IReadOnlyList<RoutingEntry> Entries()
    {
        lock (_lock)
        {
            return [.. _buckets.SelectMany(b => b)];
        }
    }

    /// <summary>Indices of the buckets that hold at least one peer (the ones bootstrap refreshes).</summary>
    public IReadOnlyList<int> NonEmptyBuckets()
    {
        lock (_lock)
        {
            return [.. Enumerable.Range(0, _buckets.Length).Where(i => _buckets[i].Count > 0)];
        }
    }

    /// <summary>Peers of bucket <paramref name="index"/>, least recently seen first.</summary>
    public IReadOnlyList<RoutingEntry> Bucket(int index)
    {
        lock (_lock)
        {
            return [.. _buckets[index]];
        }
    }
}
