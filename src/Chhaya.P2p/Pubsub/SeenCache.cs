// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Pubsub;

/// <summary>
/// Message ids seen recently (pubsub "seen cache"): an id is remembered for a fixed time from first sight, and the
/// cache holds at most a fixed number of ids, dropping the oldest first, so a flood of new ids cannot grow memory
/// without bound. Not thread-safe.
/// </summary>
internal sealed class SeenCache
{
    private readonly TimeSpan _ttl;
    private readonly int _max;
    private readonly Dictionary<MessageId, DateTimeOffset> _seen = [];
    private readonly Queue<(MessageId Id, DateTimeOffset Expires)> _order = new();

    public SeenCache(TimeSpan ttl, int maxEntries)
    {
        _ttl = ttl;
        _max = maxEntries;
    }

    public int Count => _seen.Count;

    public bool Contains(MessageId id) => _seen.ContainsKey(id);

    /// <summary>Adds <paramref name="id"/>; false when it was already there.</summary>
    public bool Add(MessageId id, DateTimeOffset now)
    {
        if (_seen.ContainsKey(id))
        {
            return false;
        }

        while (_seen.Count >= _max && _order.TryDequeue(out var old))
        {
            _seen.Remove(old.Id);
        }

        var expires = now + _ttl;
        _seen[id] = expires;
        _order.Enqueue((id, expires));
        return true;
    }

    public void Sweep(DateTimeOffset now)
    {
        while (_order.TryPeek(out var head) && head.Expires <= now)
        {
            _order.Dequeue();
            _seen.Remove(head.Id);
        }
    }
}
