// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Kad;

/// <summary>
/// A token bucket per peer for inbound DHT requests: <c>rate</c> tokens a second up to <c>burst</c>. The table of
/// buckets is bounded; when it is full, idle (refilled) buckets are dropped, and if none is idle new peers share
/// one overflow bucket, so many peer ids cannot grow memory or escape the limit.
/// </summary>
internal sealed class PeerRateLimiter
{
    private const int MaxTrackedPeers = 4096;

    private readonly Dictionary<PeerId, (double Tokens, long Stamp)> _buckets = [];
    private readonly Lock _lock = new();
    private readonly double _rate;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private (double Tokens, long Stamp) _overflow;

    public PeerRateLimiter(double ratePerSecond, int burst, TimeProvider? time = null)
    {
        _rate = ratePerSecond;
        _burst = burst;
        _time = time ?? TimeProvider.System;
        _overflow = (burst, _time.GetTimestamp());
    }

    /// <summary>Takes one token for <paramref name="peer"/>; false when its bucket is empty.</summary>
    public bool TryAcquire(PeerId peer)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_buckets.TryGetValue(peer, out var b))
            {
                if (_buckets.Count >= MaxTrackedPeers)
                {
                    foreach (var idle in _buckets.Where(p => Refill(p.Value, now) >= _burst).Select(p => p.Key).ToList())
                    {
                        _buckets.Remove(idle);
                    }
                }

                if (_buckets.Count >= MaxTrackedPeers)
                {
                    return Take(ref _overflow, now);
                }

                b = (_burst, now);
            }

            var ok = Take(ref b, now);
            _buckets[peer] = b;
            return ok;
        }
    }

    private bool Take(ref (double Tokens, long Stamp) bucket, long now)
    {
        bucket = (Refill(bucket, now), now);
        if (bucket.Tokens < 1)
        {
            return false;
        }

        bucket.Tokens -= 1;
        return true;
    }

    private double Refill((double Tokens, long Stamp) bucket, long now) =>
        Math.Min(_burst, bucket.Tokens + (_time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * _rate));
}
