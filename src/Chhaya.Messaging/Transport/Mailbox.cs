// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Crypto;
using Chhaya.Messaging.Sealed;
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Transport;

/// <summary>An envelope handed to a collector, with the sequence number it acknowledges it by.</summary>
public sealed record HeldEnvelope(long Sequence, byte[] Envelope);

/// <summary>
/// Store-and-forward for recipients that named this node as their mailbox: it holds sealed envelopes it cannot
/// read (it sees only the recipient tag and the bucket size), within per-recipient quotas, a cap over all recipients
/// and a retention time, and hands them over only to the recipient, who proves it holds the identity key by signing
/// a fresh, mailbox-specific collection statement.
/// </summary>
/// <remarks>
/// With an <see cref="IMailboxStore"/>, everything is written through before a depositor or collector is answered,
/// and <see cref="LoadAsync"/> brings it back after a restart. Envelopes are numbered per recipient; a collection
/// hands over everything held and deletes nothing new: an envelope is deleted once a later collection request
/// acknowledges its sequence number (the collector sends that only after it saved what it received), or when it
/// expires. Thread-safe.
/// </remarks>
public sealed class Mailbox : IDisposable
{
    private const string CollectLabel = "chhaya/v2/msg/mailbox-collect";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Box> _boxes = new(StringComparer.Ordinal);
    private readonly byte[] _mailboxId;
    private readonly MailboxOptions _options;
    private readonly TimeProvider _time;
    private readonly IMailboxStore? _store;
    private long _totalBytes;

    /// <param name="mailboxId">This mailbox's identity (its peer id bytes); collection proofs are bound to it.</param>
    /// <param name="options">Quotas and retention.</param>
    /// <param name="time">Clock.</param>
    /// <param name="store">Where to keep what is held across restarts (null: memory only).</param>
    public Mailbox(byte[] mailboxId, MailboxOptions? options = null, TimeProvider? time = null, IMailboxStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(mailboxId);
        _mailboxId = mailboxId;
        _options = options ?? new MailboxOptions();
        _time = time ?? TimeProvider.System;
        _store = store;
    }

    /// <summary>Bytes held for all recipients together.</summary>
    public long TotalBytes => Volatile.Read(ref _totalBytes);

    /// <summary>
    /// Reads back what the store holds, treating it as untrusted: rows that are expired, dated in the future, not a
    /// sealed envelope for their recipient, or beyond a quota are deleted; the quotas and the total cap hold as they
    /// do for deposits. Call once, before serving.
    /// </summary>
    /// <returns>The number of envelopes now held.</returns>
    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return 0;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = NowMs();
            var cutoff = now - (long)_options.Retention.TotalMilliseconds;
            await _store.DeleteEnvelopesOutsideAsync(cutoff, FutureLimit(now), cancellationToken).ConfigureAwait(false);
            var held = 0;
            foreach (var recipient in await _store.ReadRecipientsAsync(_options.MaxRecipients, cancellationToken).ConfigureAwait(false))
            {
                if (!IsTag(recipient.Tag) || _boxes.ContainsKey(recipient.Tag))
                {
                    await _store.DeleteRecipientAsync(recipient.Tag, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var box = new Box
                {
                    NextSequence = Math.Max(1, recipient.NextSequence),
                    LastCollectUnixMs = recipient.LastCollectUnixMs,
                    LastSeenUnixMs = Math.Min(recipient.LastSeenUnixMs, now),
                };
                var rejected = new List<long>();
                var stored = await _store.ReadEnvelopesAsync(recipient.Tag, _options.MaxEnvelopesPerRecipient, PaddingBuckets.Largest, cancellationToken).ConfigureAwait(false);
                foreach (var row in stored)
                {
                    if (!IsValid(row, recipient.Tag, cutoff, FutureLimit(now)) || box.Envelopes.ContainsKey(row.Sequence)
                        || box.Bytes + row.Envelope.Length > _options.MaxBytesPerRecipient || _totalBytes + row.Envelope.Length > _options.MaxTotalBytes)
                    {
                        rejected.Add(row.Sequence);
                        continue;
                    }

                    box.Envelopes.Add(row.Sequence, new Held(row.Envelope, row.StoredAtUnixMs));
                    box.Bytes += row.Envelope.Length;
                    _totalBytes += row.Envelope.Length;
                    box.NextSequence = Math.Max(box.NextSequence, row.Sequence + 1);
                }

                if (rejected.Count > 0)
                {
                    await _store.DeleteEnvelopesAsync(recipient.Tag, rejected, cancellationToken).ConfigureAwait(false);
                }

                _boxes.Add(recipient.Tag, box);
                held += box.Envelopes.Count;
            }

            return held;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts holding envelopes for the owner of <paramref name="identityKey"/> (it named this node in its prekey record).</summary>
    /// <exception cref="InvalidOperationException">Too many recipients already.</exception>
    /// <exception cref="IOException">The store failed.</exception>
    public async Task ServeAsync(byte[] identityKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var tag = Convert.ToHexString(SealedEnvelope.TagOf(identityKey));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_boxes.ContainsKey(tag))
            {
                return;
            }

            var box = NewBoxLocked();
            await SaveRecipientAsync(tag, box, cancellationToken).ConfigureAwait(false);
            _boxes.Add(tag, box);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Envelopes held for the owner of <paramref name="identityKey"/>.</summary>
    public int CountFor(ReadOnlySpan<byte> identityKey)
    {
        var tag = Convert.ToHexString(SealedEnvelope.TagOf(identityKey));
        _gate.Wait();
        try
        {
            return _boxes.TryGetValue(tag, out var box) ? box.Envelopes.Count : 0;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Holds an envelope for its recipient; true only once it is stored. False when the recipient is not served here
    /// or a quota is full.
    /// </summary>
    /// <exception cref="MalformedInputException">Not a sealed envelope (wrong size or version).</exception>
    /// <exception cref="IOException">The store failed; nothing was accepted.</exception>
    public async Task<bool> TryDepositAsync(byte[] envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var tag = Convert.ToHexString(SealedEnvelope.PeekRecipient(envelope));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_boxes.TryGetValue(tag, out var box))
            {
                return false;
            }

            await ExpireLockedAsync(tag, box, cancellationToken).ConfigureAwait(false);
            if (box.Envelopes.Count >= _options.MaxEnvelopesPerRecipient || box.Bytes + envelope.Length > _options.MaxBytesPerRecipient
                || _totalBytes + envelope.Length > _options.MaxTotalBytes || box.NextSequence == long.MaxValue)
            {
                return false;
            }

            var copy = envelope.ToArray();
            var now = NowMs();
            var sequence = box.NextSequence;
            if (_store is not null)
            {
                await _store.AddEnvelopeAsync(new StoredEnvelope(tag, sequence, now, copy), cancellationToken).ConfigureAwait(false);
            }

            box.Envelopes.Add(sequence, new Held(copy, now));
            box.NextSequence = sequence + 1;
            box.Bytes += copy.Length;
            Interlocked.Add(ref _totalBytes, copy.Length);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The statement a recipient signs to collect:
    /// <c>u8 len ‖ label ‖ u16 len ‖ mailbox id ‖ identity key (32) ‖ i64 Unix ms ‖ i64 acknowledged-through</c>.
    /// </summary>
    public static byte[] CollectStatement(ReadOnlySpan<byte> mailboxId, ReadOnlySpan<byte> identityKey, long unixMs, long acknowledgedThrough) =>
        new WireWriter(136).Byte((byte)CollectLabel.Length).Fixed(Encoding.ASCII.GetBytes(CollectLabel))
            .Prefixed16(mailboxId).Fixed(identityKey).Int64(unixMs).Int64(acknowledgedThrough).ToArray();

    /// <summary>
    /// Collects for <paramref name="identityKey"/>, if <paramref name="signature"/> is that key's signature over
    /// <see cref="CollectStatement"/> for this mailbox, <paramref name="unixMs"/> is within the allowed skew and later
    /// than the last collection (no replay). First deletes the envelopes handed over earlier whose sequence number is
    /// at most <paramref name="acknowledgedThrough"/> (the collector has saved them), then hands over everything still
    /// held, oldest first; those stay until acknowledged or expired. A recipient collecting for the first time is
    /// registered.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The proof does not verify, is stale, or is replayed.</exception>
    /// <exception cref="InvalidOperationException">A new recipient, and this mailbox serves as many as it may.</exception>
    /// <exception cref="IOException">The store failed.</exception>
    public async Task<IReadOnlyList<HeldEnvelope>> CollectAsync(byte[] identityKey, long unixMs, long acknowledgedThrough, byte[] signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(signature);
        var now = NowMs();
        if (Math.Abs(now - unixMs) > (long)_options.ClockSkew.TotalMilliseconds)
        {
            throw new UnauthorizedAccessException("The collection request's timestamp is too far from this node's clock.");
        }

        if (!Ed25519.Verify(identityKey, CollectStatement(_mailboxId, identityKey, unixMs, acknowledgedThrough), signature))
        {
            throw new UnauthorizedAccessException("The collection request is not signed by the recipient's identity key.");
        }

        var tag = Convert.ToHexString(SealedEnvelope.TagOf(identityKey));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var isNew = !_boxes.TryGetValue(tag, out var box);
            box ??= NewBoxLocked();
            if (unixMs <= box.LastCollectUnixMs)
            {
                throw new UnauthorizedAccessException("The collection request is a replay.");
            }

            var previous = (box.LastCollectUnixMs, box.LastSeenUnixMs);
            box.LastCollectUnixMs = unixMs;
            box.LastSeenUnixMs = now;
            try
            {
                await SaveRecipientAsync(tag, box, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                (box.LastCollectUnixMs, box.LastSeenUnixMs) = previous;
                throw;
            }

            if (isNew)
            {
                _boxes.Add(tag, box);
            }

            var acknowledged = box.Envelopes.Where(e => e.Value.HandedOut && e.Key <= acknowledgedThrough).Select(e => e.Key).ToList();
            await RemoveLockedAsync(tag, box, acknowledged, cancellationToken).ConfigureAwait(false);
            await ExpireLockedAsync(tag, box, cancellationToken).ConfigureAwait(false);
            var all = new List<HeldEnvelope>(box.Envelopes.Count);
            foreach (var (sequence, held) in box.Envelopes)
            {
                held.HandedOut = true;
                all.Add(new HeldEnvelope(sequence, held.Envelope));
            }

            return all;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Drops expired envelopes everywhere, and recipients that hold nothing and have not collected for the
    /// retention time (so that registrations do not fill the recipient cap for ever). Returns the envelopes dropped.
    /// </summary>
    /// <exception cref="IOException">The store failed.</exception>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = NowMs();
            var dropped = 0;
            foreach (var (tag, box) in _boxes.ToList())
            {
                dropped += await ExpireLockedAsync(tag, box, cancellationToken).ConfigureAwait(false);
                if (box.Envelopes.Count == 0 && now - box.LastSeenUnixMs > (long)_options.Retention.TotalMilliseconds)
                {
                    if (_store is not null)
                    {
                        await _store.DeleteRecipientAsync(tag, cancellationToken).ConfigureAwait(false);
                    }

                    _boxes.Remove(tag);
                }
            }

            if (_store is not null)
            {
                await _store.DeleteEnvelopesOutsideAsync(now - (long)_options.Retention.TotalMilliseconds, FutureLimit(now), cancellationToken).ConfigureAwait(false);
            }

            return dropped;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static bool IsTag(string tag) =>
        tag.Length == 64 && tag.All(c => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F');

    private static bool IsValid(StoredEnvelope row, string tag, long cutoff, long future)
    {
        if (row.Sequence < 1 || row.Sequence == long.MaxValue || row.StoredAtUnixMs < cutoff || row.StoredAtUnixMs > future
            || row.Envelope is null || !PaddingBuckets.IsBucket(row.Envelope.Length))
        {
            return false;
        }

        try
        {
            return string.Equals(Convert.ToHexString(SealedEnvelope.PeekRecipient(row.Envelope)), tag, StringComparison.Ordinal);
        }
        catch (MalformedInputException)
        {
            return false;
        }
    }

    private long FutureLimit(long now) => now + (long)_options.ClockSkew.TotalMilliseconds;

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private Box NewBoxLocked()
    {
        if (_boxes.Count >= _options.MaxRecipients)
        {
            throw new InvalidOperationException($"This mailbox serves {_options.MaxRecipients} recipients already.");
        }

        return new Box { LastSeenUnixMs = NowMs() };
    }

    private Task SaveRecipientAsync(string tag, Box box, CancellationToken cancellationToken) =>
        _store?.SaveRecipientAsync(new StoredRecipient(tag, box.NextSequence, box.LastCollectUnixMs, box.LastSeenUnixMs), cancellationToken) ?? Task.CompletedTask;

    private async Task<int> ExpireLockedAsync(string tag, Box box, CancellationToken cancellationToken)
    {
        var cutoff = NowMs() - (long)_options.Retention.TotalMilliseconds;
        var expired = box.Envelopes.Where(e => e.Value.StoredAtUnixMs < cutoff).Select(e => e.Key).ToList();
        await RemoveLockedAsync(tag, box, expired, cancellationToken).ConfigureAwait(false);
        return expired.Count;
    }

    /// <summary>Deletes from the store first, then from memory: a failed delete leaves both as they were.</summary>
    private async Task RemoveLockedAsync(string tag, Box box, List<long> sequences, CancellationToken cancellationToken)
    {
        if (sequences.Count == 0)
        {
            return;
        }

        if (_store is not null)
        {
            await _store.DeleteEnvelopesAsync(tag, sequences, cancellationToken).ConfigureAwait(false);
        }

        foreach (var sequence in sequences)
        {
            if (box.Envelopes.Remove(sequence, out var held))
            {
                box.Bytes -= held.Envelope.Length;
                Interlocked.Add(ref _totalBytes, -held.Envelope.Length);
            }
        }
    }

    private sealed class Held(byte[] envelope, long storedAtUnixMs)
    {
        public byte[] Envelope { get; } = envelope;

        public long StoredAtUnixMs { get; } = storedAtUnixMs;

        /// <summary>Handed to the collector since this process started; only such envelopes can be acknowledged.</summary>
        public bool HandedOut { get; set; }
    }

    private sealed class Box
    {
        public SortedDictionary<long, Held> Envelopes { get; } = [];

        public long Bytes { get; set; }

        public long NextSequence { get; set; } = 1;

        public long LastCollectUnixMs { get; set; } = long.MinValue;

        public long LastSeenUnixMs { get; set; }
    }
}
