// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.AutoNat;

/// <summary>
/// Fixed-window request limits for an inbound protocol: at most <c>perPeer</c> requests from one peer and
/// <c>global</c> requests from everyone within each <c>window</c>. The table of peers is bounded: when it is
/// full and nothing has expired, unknown peers are refused, so a flood of fresh peer ids cannot grow memory.
/// The AutoNAT server and the relay use it.
/// </summary>
public sealed class RequestLimiter
{
    private readonly int _perPeer;
    private readonly int _global;
    private readonly TimeSpan _window;
    private readonly int _maxPeers;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Dictionary<PeerId, (DateTimeOffset Start, int Count)> _peers = [];
    private readonly Lock _lock = new();
    private DateTimeOffset _globalStart;
    private int _globalCount;

    public RequestLimiter(int perPeer, int global, TimeSpan window, int maxPeers = 4096, Func<DateTimeOffset>? clock = null)
    {
        Guard.InRange(perPeer, 1, int.MaxValue);
        Guard.InRange(global, 1, int.MaxValue);
        Guard.InRange(maxPeers, 1, int.MaxValue);
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), "the window must be positive");
        }

        _perPeer = perPeer;
        _global = global;
        _window = window;
        _maxPeers = maxPeers;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>Counts one request from <paramref name="peer"/>; false when a limit is reached (nothing is counted then).</summary>
    public bool TryAcquire(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = _clock();
        lock (_lock)
        {
            if (now - _globalStart >= _window)
            {
                _globalStart = now;
                _globalCount = 0;
            }

            if (_globalCount >= _global)
            {
                return false;
            }

            if (!_peers.TryGetValue(peer, out var entry) || now - entry.Start >= _window)
            {
                if (!_peers.ContainsKey(peer) && _peers.Count >= _maxPeers)
                {
                    foreach (var (key, value) in _peers.ToList())
                    {
                        if (now - value.Start >= _window)
                        {
                            _peers.Remove(key);
                        }
                    }

                    if (_peers.Count >= _maxPeers)
                    {
                        return false;
                    }
                }

                entry = (now, 0);
            }

            if (entry.Count >= _perPeer)
            {
                return false;
            }

            _peers[peer] = (entry.Start, entry.Count + 1);
            _globalCount++;
            return true;
        }
    }
}
