// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Kad;

/// <summary>Records and provider records over the network.</summary>
public sealed partial class KadDht
{
    /// <summary>
    /// Validates the record, stores it locally (server mode) and sends PUT_VALUE to the k closest peers of its key.
    /// Returns how many peers accepted it.
    /// </summary>
    /// <exception cref="InvalidRecordException">The record does not validate; nothing is sent.</exception>
    public async Task<int> PutValueAsync(byte[] key, byte[] value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.Length > _options.Limits.MaxKeySize || value.Length > _options.Limits.MaxValueSize)
        {
            throw new InvalidRecordException("record key or value is over the DHT size limits");
        }

        _options.Validator.Validate(key, value);
        if (!_options.ClientMode)
        {
            Records.Put(key, value);
        }

        var id = Convert.ToBase64String(key);
        if (_published.ContainsKey(id) || _published.Count < _options.MaxRepublishedRecords)
        {
            _published[id] = (key, value, DateTimeOffset.UtcNow);
        }

        var closest = await LookupAsync(key, KadMessageType.FindNode, null, cancellationToken).ConfigureAwait(false);
        return await PutToAsync(closest.Closest, key, value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Looks <paramref name="key"/> up: the local record counts first, then GET_VALUE to ever closer peers until
    /// <see cref="KadDhtOptions.GetValueQuorum"/> valid records are in or the lookup ends. Invalid records are ignored.
    /// The best record by the namespace's Select is returned, and peers among the closest that returned an older record
    /// or none are sent the best one (spec, "Entry correction"). Null when no valid record was found.
    /// </summary>
    public async Task<byte[]?> GetValueAsync(byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var found = new List<(PeerId? From, byte[] Value)>();
        if (Records.Get(key) is { } local)
        {
            found.Add((null, local.Value));
        }

        var result = await LookupAsync(key, KadMessageType.GetValue, (from, response) =>
        {
            if (response.Record is { } r && r.Key.AsSpan().SequenceEqual(key))
            {
                try
                {
                    _options.Validator.Validate(key, r.Value);
                    found.Add((from, r.Value));
                }
                catch (InvalidRecordException e)
                {
                    _metrics.RecordsRejected.Add(1);
                    KadLog.RecordRefused(_logger, from, e.Message);
                }
            }

            return found.Count >= _options.GetValueQuorum;
        }, cancellationToken).ConfigureAwait(false);

        if (found.Count == 0)
        {
            return null;
        }

        var best = found[_options.Validator.Select(key, [.. found.Select(f => f.Value)])].Value;
        if (!_options.ClientMode)
        {
            Records.Put(key, best);
        }

        var outdated = result.Closest
            .Where(p => !found.Any(f => p.Equals(f.From) && f.Value.AsSpan().SequenceEqual(best)))
            .Concat(found.Where(f => f.From is not null && !f.Value.AsSpan().SequenceEqual(best)).Select(f => f.From!))
            .Distinct()
            .ToList();
        if (outdated.Count > 0)
        {
            await PutToAsync(outdated, key, best, cancellationToken).ConfigureAwait(false);
        }

        return best;
    }

    /// <summary>Announces us as a provider of <paramref name="key"/> to its k closest peers; returns how many were told.</summary>
    public async Task<int> ProvideAsync(byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Length > _options.Limits.MaxKeySize)
        {
            throw new ArgumentException("provider key must be 1 to MaxKeySize bytes", nameof(key));
        }

        var self = new KadPeer(PeerId, OurAddresses());
        if (!_options.ClientMode)
        {
            Providers.Add(key, PeerId, self.Addresses);
        }

        _provided[Convert.ToBase64String(key)] = (key, DateTimeOffset.UtcNow);
        var closest = await LookupAsync(key, KadMessageType.FindNode, null, cancellationToken).ConfigureAwait(false);
        var request = new KadMessage { Type = KadMessageType.AddProvider, Key = key, ProviderPeers = [self] };
        var sent = await Task.WhenAll(closest.Closest.Select(p => TrySendAsync(p, request, cancellationToken))).ConfigureAwait(false);
        return sent.Count(ok => ok);
    }

    /// <summary>Providers of <paramref name="key"/>: ours, then by GET_PROVIDERS lookup until <paramref name="max"/> are found.</summary>
    public async Task<IReadOnlyList<KadPeer>> FindProvidersAsync(byte[] key, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var found = new Dictionary<PeerId, KadPeer>();
        foreach (var p in Providers.Get(key))
        {
            found.TryAdd(p.Id, p);
        }

        if (found.Count < max)
        {
            await LookupAsync(key, KadMessageType.GetProviders, (_, response) =>
            {
                foreach (var p in response.ProviderPeers)
                {
                    var addresses = Filter(p.Addresses);
                    if (found.Count < max && found.TryAdd(p.Id, p with { Addresses = addresses }))
                    {
                        Learn(p);
                    }
                }

                return found.Count >= max;
            }, cancellationToken).ConfigureAwait(false);
        }

        return [.. found.Values.Take(max)];
    }

    private async Task<int> PutToAsync(IEnumerable<PeerId> peers, byte[] key, byte[] value, CancellationToken cancellationToken)
    {
        var request = new KadMessage { Type = KadMessageType.PutValue, Key = key, Record = new KadRecord(key, value) };
        var results = await Task.WhenAll(peers.Select(p => TrySendAsync(p, request, cancellationToken))).ConfigureAwait(false);
        return results.Count(ok => ok);
    }

    private async Task<bool> TrySendAsync(PeerId peer, KadMessage request, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(peer, request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task RepublishRecordsAsync(CancellationToken cancellationToken)
    {
        var due = _published.Where(p => DateTimeOffset.UtcNow - p.Value.Last >= _options.RecordRepublishInterval).Select(p => p.Key).ToList();
        foreach (var id in due)
        {
            // Read the entry again: a newer record of ours may have been put since the list was made.
            if (_published.TryGetValue(id, out var current))
            {
                await PutValueAsync(current.Key, current.Value, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RepublishProvidedAsync(CancellationToken cancellationToken)
    {
        var due = _provided.Values.Where(p => DateTimeOffset.UtcNow - p.Last >= _options.ProviderRepublishInterval).Select(p => p.Key).ToList();
        foreach (var key in due)
        {
            await ProvideAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }
}
