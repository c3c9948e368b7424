// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Kad;

/// <summary>
/// Provider records (kad-dht spec, "Content provider advertisement and discovery"): for each key, the peers that
/// said they provide it, each expiring <see cref="Validity"/> after its latest ADD_PROVIDER. Addresses are served
/// only for <see cref="AddressTtl"/> after they were given (the spec's advice against stale addresses). Bounded in
/// keys and in providers per key; when full, new entries are refused rather than evicting live ones. Thread-safe.
/// </summary>
public sealed class ProviderStore
{
    private readonly Dictionary<string, Dictionary<PeerId, (IReadOnlyList<Multiaddr> Addresses, DateTimeOffset Added)>> _keys = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public ProviderStore(int maxKeys, int maxProvidersPerKey, TimeSpan validity, TimeSpan addressTtl, TimeProvider? time = null)
    {
        MaxKeys = maxKeys;
        MaxProvidersPerKey = maxProvidersPerKey;
        Validity = validity;
        AddressTtl = addressTtl;
        _time = time ?? TimeProvider.System;
    }

    public int MaxKeys { get; }

    public int MaxProvidersPerKey { get; }

    public TimeSpan Validity { get; }

    public TimeSpan AddressTtl { get; }

    /// <summary>Adds or refreshes <paramref name="provider"/> for <paramref name="key"/>; false when a bound is reached.</summary>
    public bool Add(ReadOnlySpan<byte> key, PeerId provider, IReadOnlyList<Multiaddr> addresses)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var id = Convert.ToBase64String(key);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_keys.TryGetValue(id, out var providers))
            {
                if (_keys.Count >= MaxKeys)
                {
                    PurgeExpired(now);
                    if (_keys.Count >= MaxKeys)
                    {
                        return false;
                    }
                }

                providers = [];
                _keys[id] = providers;
            }

            if (!providers.ContainsKey(provider) && providers.Count >= MaxProvidersPerKey)
            {
                foreach (var stale in providers.Where(p => now - p.Value.Added > Validity).Select(p => p.Key).ToList())
                {
                    providers.Remove(stale);
                }

                if (providers.Count >= MaxProvidersPerKey)
                {
                    return false;
                }
            }

            providers[provider] = (addresses, now);
            return true;
        }
    }

    /// <summary>The live providers of <paramref name="key"/>, with addresses while they are fresh.</summary>
    public IReadOnlyList<KadPeer> Get(ReadOnlySpan<byte> key)
    {
        var id = Convert.ToBase64String(key);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_keys.TryGetValue(id, out var providers))
            {
                return [];
            }

            return [.. providers
                .Where(p => now - p.Value.Added <= Validity)
                .Select(p => new KadPeer(p.Key, now - p.Value.Added <= AddressTtl ? p.Value.Addresses : []))];
        }
    }

    private void PurgeExpired(DateTimeOffset now)
    {
        foreach (var (id, providers) in _keys.ToList())
        {
            foreach (var stale in providers.Where(p => now - p.Value.Added > Validity).Select(p => p.Key).ToList())
            {
                providers.Remove(stale);
            }

            if (providers.Count == 0)
            {
                _keys.Remove(id);
            }
        }
    }
}
