// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Crypto;
using Chhaya.Messaging.Sealed;
using Chhaya.Messaging.Wire;
using Chhaya.Safety;

namespace Chhaya.Messaging.Transport;

/// <summary>
/// Store-and-forward for recipients that named this node as their mailbox: it holds sealed envelopes it cannot
/// read (it sees only the recipient tag and the bucket size), within per-recipient quotas and a retention time,
/// and hands them over only to the recipient, who proves it holds the identity key by signing a fresh,
/// mailbox-specific collection statement.
/// </summary>
/// <remarks>In memory, thread-safe.</remarks>
public sealed class Mailbox
{
    private const string CollectLabel = "chhaya/v1/msg/mailbox-collect";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Box> _boxes = new(StringComparer.Ordinal);
    private readonly byte[] _mailboxId;
    private readonly MailboxOptions _options;
    private readonly TimeProvider _time;
    private long _totalBytes;

    /// <param name="mailboxId">This mailbox's identity (its peer id bytes); collection proofs are bound to it.</param>
    /// <param name="options">Quotas and retention.</param>
    /// <param name="time">Clock.</param>
    public Mailbox(byte[] mailboxId, MailboxOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(mailboxId);
        _mailboxId = mailboxId;
        _options = options ?? new MailboxOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Starts holding envelopes for the owner of <paramref name="identityKey"/> (it named this node in its prekey record).</summary>
    /// <exception cref="InvalidOperationException">Too many recipients already.</exception>
    public void Serve(ReadOnlySpan<byte> identityKey)
    {
        var tag = Convert.ToHexString(SealedEnvelope.TagOf(identityKey));
        lock (_gate)
        {
            if (!_boxes.ContainsKey(tag) && _boxes.Count >= _options.MaxRecipients)
            {
                throw new InvalidOperationException($"This mailbox serves {_options.MaxRecipients} recipients already.");
            }

            _boxes.TryAdd(tag, new Box());
        }
    }

    /// <summary>Envelopes held for the owner of <paramref name="identityKey"/>.</summary>
    public int CountFor(ReadOnlySpan<byte> identityKey)
    {
        lock (_gate)
        {
            return _boxes.TryGetValue(Convert.ToHexString(SealedEnvelope.TagOf(identityKey)), out var box) ? box.Envelopes.Count : 0;
        }
    }

    /// <summary>
    /// Holds an envelope for its recipient. False when the recipient is not served here or its quota is full.
    /// </summary>
    /// <exception cref="MalformedInputException">Not a sealed envelope (wrong size or version).</exception>
    public bool TryDeposit(byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var tag = Convert.ToHexString(SealedEnvelope.PeekRecipient(envelope));
        lock (_gate)
        {
            if (!_boxes.TryGetValue(tag, out var box))
            {
                return false;
            }

            Expire(box);
            if (box.Envelopes.Count >= _options.MaxEnvelopesPerRecipient || box.Bytes + envelope.Length > _options.MaxBytesPerRecipient
                || _totalBytes + envelope.Length > _options.MaxTotalBytes)
            {
                return false;
            }

            box.Envelopes.Enqueue((envelope, _time.GetUtcNow()));
            box.Bytes += envelope.Length;
            _totalBytes += envelope.Length;
            return true;
        }
    }

    /// <summary>The statement a recipient signs to collect: <c>u8 len ‖ label ‖ u16 len ‖ mailbox id ‖ identity key (32) ‖ i64 Unix ms</c>.</summary>
    public static byte[] CollectStatement(ReadOnlySpan<byte> mailboxId, ReadOnlySpan<byte> identityKey, long unixMs) =>
        new WireWriter(128).Byte((byte)CollectLabel.Length).Fixed(Encoding.ASCII.GetBytes(CollectLabel))
            .Prefixed16(mailboxId).Fixed(identityKey).Int64(unixMs).ToArray();

    /// <summary>
    /// Hands over (and forgets) every envelope held for <paramref name="identityKey"/>, if <paramref name="signature"/>
    /// is that key's signature over <see cref="CollectStatement"/> for this mailbox and <paramref name="unixMs"/>, the
    /// timestamp is within the allowed skew, and it is later than the last collection (no replay).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The proof does not verify, is stale, or is replayed.</exception>
    public IReadOnlyList<byte[]> Collect(ReadOnlySpan<byte> identityKey, long unixMs, ReadOnlySpan<byte> signature)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (Math.Abs(now - unixMs) > (long)_options.ClockSkew.TotalMilliseconds)
        {
            throw new UnauthorizedAccessException("The collection request's timestamp is too far from this node's clock.");
        }

        if (!Ed25519.Verify(identityKey, CollectStatement(_mailboxId, identityKey, unixMs), signature))
        {
            throw new UnauthorizedAccessException("The collection request is not signed by the recipient's identity key.");
        }

        var tag = Convert.ToHexString(SealedEnvelope.TagOf(identityKey));
        lock (_gate)
        {
            if (!_boxes.TryGetValue(tag, out var box))
            {
                return [];
            }

            if (unixMs <= box.LastCollectUnixMs)
            {
                throw new UnauthorizedAccessException("The collection request is a replay.");
            }

            box.LastCollectUnixMs = unixMs;
            Expire(box);
            var all = box.Envelopes.Select(e => e.Envelope).ToList();
            box.Envelopes.Clear();
            _totalBytes -= box.Bytes;
            box.Bytes = 0;
            return all;
        }
    }

    private void Expire(Box box)
    {
        var cutoff = _time.GetUtcNow() - _options.Retention;
        while (box.Envelopes.Count > 0 && box.Envelopes.Peek().At < cutoff)
        {
            var length = box.Envelopes.Dequeue().Envelope.Length;
            box.Bytes -= length;
            _totalBytes -= length;
        }
    }

    private sealed class Box
    {
        public Queue<(byte[] Envelope, DateTimeOffset At)> Envelopes { get; } = new();

        public long Bytes { get; set; }

        public long LastCollectUnixMs { get; set; } = long.MinValue;
    }
}
