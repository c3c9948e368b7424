// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Kad;

/// <summary>What <see cref="RecordStore.Put"/> did with a record.</summary>
public enum RecordPutResult
{
    Stored,

    /// <summary>A better record (by the namespace's Select) is already stored; it stays.</summary>
    KeptExisting,

    /// <summary>The store is at its count or byte bound; the record was not stored.</summary>
    Full,
}

/// <summary>
/// The local record store: validated records only, bounded in count and total bytes, each expiring
/// <see cref="Ttl"/> after it was received. When full it refuses new keys rather than evicting, so a flood of
/// records cannot push out ones already stored. Thread-safe.
/// </summary>
public sealed class RecordStore
{
    private readonly Dictionary<string, (byte[] Key, byte[] Value, DateTimeOffset Received)> _records = new(StringComparer.Ordinal);
    private readonly IRecordValidator _validator;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _bytes;

    public RecordStore(IRecordValidator validator, int maxRecords, long maxBytes, TimeSpan ttl, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(validator);
        _validator = validator;
        MaxRecords = maxRecords;
        MaxBytes = maxBytes;
        Ttl = ttl;
        _time = time ?? TimeProvider.System;
    }

    public int MaxRecords { get; }

    public long MaxBytes { get; }

    public TimeSpan Ttl { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>Validates and stores a record, keeping whichever of it and a stored one the validator selects.</summary>
    /// <exception cref="InvalidRecordException">The record is not valid.</exception>
    public RecordPutResult Put(byte[] key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _validator.Validate(key, value);
        var id = Convert.ToBase64String(key);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            PurgeExpired(now);
            if (_records.TryGetValue(id, out var existing))
            {
                if (!existing.Value.AsSpan().SequenceEqual(value) && _validator.Select(key, [existing.Value, value]) == 0)
                {
                    return RecordPutResult.KeptExisting;
                }

                if (_bytes - existing.Value.Length + value.Length > MaxBytes)
                {
                    return RecordPutResult.Full;
                }

                _bytes += value.Length - existing.Value.Length;
                _records[id] = (key, value, now);
                return RecordPutResult.Stored;
            }

            if (_records.Count >= MaxRecords || _bytes + key.Length + value.Length > MaxBytes)
            {
                return RecordPutResult.Full;
            }

            _records[id] = (key, value, now);
            _bytes += key.Length + value.Length;
            return RecordPutResult.Stored;
        }
    }

    /// <summary>The stored, unexpired record for <paramref name="key"/>, with the time it was received.</summary>
    public (byte[] Value, DateTimeOffset Received)? Get(ReadOnlySpan<byte> key)
    {
        var id = Convert.ToBase64String(key);
        lock (_lock)
        {
            if (!_records.TryGetValue(id, out var r))
            {
                return null;
            }

            if (_time.GetUtcNow() - r.Received > Ttl)
            {
                Remove(id, r.Key, r.Value);
                return null;
            }

            return (r.Value, r.Received);
        }
    }

    private void PurgeExpired(DateTimeOffset now)
    {
        foreach (var (id, r) in _records.Where(p => now - p.Value.Received > Ttl).ToList())
        {
            Remove(id, r.Key, r.Value);
        }
    }

    private void Remove(string id, byte[] key, byte[] value)
    {
        _records.Remove(id);
        _bytes -= key.Length + value.Length;
    }
}
