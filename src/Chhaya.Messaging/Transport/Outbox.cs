// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;

namespace Chhaya.Messaging.Transport;

/// <summary>An envelope waiting in the <see cref="Outbox"/> for a recipient that was not reachable.</summary>
public sealed record OutboxEntry(long Id, string Recipient, byte[] Envelope, DateTimeOffset EnqueuedAt)
{
    /// <summary>Failed attempts so far.</summary>
    public int Attempts { get; internal set; }

    /// <summary>When the next attempt is due.</summary>
    public DateTimeOffset NextAttemptAt { get; internal set; }
}

/// <summary>
/// Sealed envelopes to recipients that were offline, retried with exponential back-off (with up to 25 % random
/// jitter, so many senders do not retry in lockstep) until delivered or past their lifetime. The outbox does no
/// I/O: <see cref="DeliverDueAsync"/> hands each due envelope to a send function. The same envelope is resent each
/// time, so a copy that did arrive earlier is refused by the recipient's ratchet as a replay, never read twice.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class Outbox
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, OutboxEntry> _entries = [];
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private long _nextId = 1;

    public Outbox(OutboxOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new OutboxOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Envelopes waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The envelopes waiting now, oldest first (for persisting them).</summary>
    public IReadOnlyList<OutboxEntry> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries.Values];
        }
    }

    /// <summary>Queues an envelope for <paramref name="recipient"/> (any routing key, e.g. a peer id); due at once.</summary>
    /// <exception cref="InvalidOperationException">The outbox is full.</exception>
    public OutboxEntry Enqueue(string recipient, byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(envelope);
        lock (_gate)
        {
            if (_entries.Count >= _options.MaxQueued)
            {
                throw new InvalidOperationException($"The outbox holds {_options.MaxQueued} envelopes already.");
            }

            var now = _time.GetUtcNow();
            var entry = new OutboxEntry(_nextId++, recipient, envelope, now) { NextAttemptAt = now };
            _entries.Add(entry.Id, entry);
            return entry;
        }
    }

    /// <summary>
    /// Tries every due envelope once with <paramref name="send"/> (true = delivered). Delivered ones leave the
    /// outbox; failed ones are rescheduled; expired ones are dropped. Returns (delivered, failed, expired).
    /// </summary>
    public async Task<(int Delivered, int Failed, int Expired)> DeliverDueAsync(Func<OutboxEntry, CancellationToken, Task<bool>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        List<OutboxEntry> due;
        var expired = 0;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var old in _entries.Values.Where(e => now - e.EnqueuedAt > _options.Lifetime).ToList())
            {
                _entries.Remove(old.Id);
                expired++;
            }

            due = _entries.Values.Where(e => e.NextAttemptAt <= now).ToList();
        }

        int delivered = 0, failed = 0;
        foreach (var entry in due)
        {
            bool ok;
            try
            {
                ok = await send(entry, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException or Chhaya.Safety.MalformedInputException)
            {
                // Delivery failures are expected while the recipient is offline; the envelope waits.
                ok = false;
            }

            lock (_gate)
            {
                if (ok)
                {
                    _entries.Remove(entry.Id);
                    delivered++;
                }
                else
                {
                    entry.Attempts++;
                    entry.NextAttemptAt = _time.GetUtcNow() + Backoff(entry.Attempts);
                    failed++;
                }
            }
        }

        return (delivered, failed, expired);
    }

    /// <summary>The wait after <paramref name="attempts"/> failures: initial × 2^(attempts−1), capped, plus 0–25 % jitter.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var shift = Math.Clamp(attempts - 1, 0, 30);
        var ticks = Math.Min(_options.MaxBackoff.Ticks, _options.InitialBackoff.Ticks * (1L << Math.Min(shift, 20)));
        var jitter = ticks / 4 * RandomNumberGenerator.GetInt32(0, 1001) / 1000;
        return TimeSpan.FromTicks(ticks + jitter);
    }
}
