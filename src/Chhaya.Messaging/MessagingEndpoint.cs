// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.Messaging.Conversations;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Sealed;
using Chhaya.Safety;

namespace Chhaya.Messaging;

/// <summary>What <see cref="MessagingEndpoint.Receive"/> made of an envelope.</summary>
public enum ReceiveOutcome
{
    /// <summary>Cover traffic: decrypted, authenticated, and dropped.</summary>
    Cover,

    /// <summary>A user message; <see cref="ReceiveResult.Released"/> holds what is now deliverable in order.</summary>
    Message,

    /// <summary>A message id already received: dropped.</summary>
    Duplicate,

    /// <summary>A delivery or read receipt.</summary>
    Receipt,
}

/// <summary>
/// The base key (the initiator's ephemeral X25519 key) of an initial message this endpoint accepted, the session it
/// started, and when (Unix ms). Kept so that the same initial message is never accepted twice (PQXDH §4.2).
/// </summary>
public sealed record AcceptedBaseKey(byte[] BaseKey, string SessionId, long AcceptedAtUnixMs);

/// <summary>The result of receiving one envelope.</summary>
public sealed record ReceiveResult(
    ReceiveOutcome Outcome, SenderCertificate? Sender, IReadOnlyList<InboundMessage> Released, ContentKind ReceiptKind, IReadOnlyList<byte[]> ReceiptFor);

/// <summary>
/// One user's messaging engine, with no I/O: it turns text, receipts and cover traffic into sealed envelopes and
/// envelopes back into ordered, de-duplicated messages. Sessions start with PQXDH from a verified bundle (the caller
/// has checked the bundle's identity key against the key directory); every outgoing payload is a PQXDH initial
/// message until the peer answers, then a plain ratchet message. Payload inside the sealed envelope:
/// <c>u8 kind (1 = initial message, 2 = ratchet message) ‖ body</c>.
/// </summary>
/// <remarks>Thread-safe (one lock). One active session per peer; a newer initial message from the peer replaces it.</remarks>
public sealed class MessagingEndpoint : IDisposable
{
    private const byte PayloadPrekey = 1;
    private const byte PayloadRatchet = 2;

    /// <summary>Most accepted base keys remembered; beyond it the oldest is forgotten first.</summary>
    public const int MaxRememberedBaseKeys = 4096;

    /// <summary>Longest session id a remembered base key may name (a hex SHA-256).</summary>
    private const int MaxSessionIdLength = 64;

    /// <summary>Most peers with a session (and an inbox) at once; initial messages from new peers beyond it are refused.</summary>
    public const int MaxSessions = 10_000;

    private readonly Lock _gate = new();
    private readonly PrekeyStore _prekeys;
    private readonly SenderCertificate _certificate;
    private readonly RatchetOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeSpan _orderingWait;
    private readonly Dictionary<string, RatchetSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AcceptedBaseKey> _baseKeys = new(StringComparer.Ordinal);
    private readonly Queue<string> _baseKeyOrder = new();
    private readonly Dictionary<string, ulong> _sendSequence = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConversationInbox> _inboxes = new(StringComparer.Ordinal);
    private bool _disposed;

    public MessagingEndpoint(PrekeyStore prekeys, SenderCertificate certificate, RatchetOptions? options = null, TimeProvider? time = null, TimeSpan? orderingWait = null)
    {
        _prekeys = prekeys ?? throw new ArgumentNullException(nameof(prekeys));
        _certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
        if (!certificate.IdentityKey.AsSpan().SequenceEqual(prekeys.Identity.PublicKey))
        {
            throw new ArgumentException("The sender certificate is for another identity.", nameof(certificate));
        }

        _options = options ?? RatchetOptions.Default;
        _time = time ?? TimeProvider.System;
        _orderingWait = orderingWait ?? TimeSpan.FromMinutes(2);
        BaseKeyLifetime = prekeys.Options.SignedPrekeyLifetime + prekeys.Options.RetiredPrekeyGrace;
    }

    /// <summary>
    /// How long an accepted base key is remembered: as long as the signed prekey it was used with can still be in
    /// use (its lifetime plus the grace after rotation). After that the prekey is wiped and a replay fails anyway.
    /// </summary>
    public TimeSpan BaseKeyLifetime { get; }

    /// <summary>This user's identity.</summary>
    public IdentityKeyPair Identity => _prekeys.Identity;

    /// <summary>The active session with <paramref name="remoteIdentityKey"/>, if any (for persisting it).</summary>
    public RatchetSession? SessionWith(ReadOnlySpan<byte> remoteIdentityKey)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(Convert.ToHexString(remoteIdentityKey));
        }
    }

    /// <summary>Starts a session from <paramref name="bundle"/>, which must belong to <paramref name="remoteIdentityKey"/>.</summary>
    /// <exception cref="HandshakeException">The bundle is for another identity, badly signed, or has a low-order key.</exception>
    public void StartSession(ReadOnlySpan<byte> remoteIdentityKey, PrekeyBundle bundle)
    {
        var (keys, template, remoteRatchet) = Pqxdh.Initiate(Identity, remoteIdentityKey, bundle);
        using (keys)
        {
            var session = RatchetSession.InitializeInitiator(keys, template, remoteRatchet, _options, _time);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                Replace(Convert.ToHexString(remoteIdentityKey), session);
            }
        }
    }

    /// <summary>Adopts a session loaded from storage.</summary>
    public void AdoptSession(RatchetSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        lock (_gate)
        {
            Replace(Convert.ToHexString(session.RemoteIdentityKey), session);
        }
    }

    /// <summary>
    /// Encrypts a user message with a fresh id and the conversation's next sequence number; returns the content
    /// (keep it to <see cref="Reseal"/> on retry, and to match receipts by id) and the sealed envelope.
    /// </summary>
    /// <exception cref="InvalidOperationException">No session with that peer.</exception>
    public (ConversationContent Content, byte[] Envelope) SendText(ReadOnlySpan<byte> remoteIdentityKey, ReadOnlySpan<byte> body)
    {
        var id = RandomNumberGenerator.GetBytes(ConversationContent.MessageIdLength);
        lock (_gate)
        {
            var peer = Convert.ToHexString(remoteIdentityKey);
            var sequence = _sendSequence.GetValueOrDefault(peer) + 1;
            var content = ConversationContent.Text(id, sequence, _time.GetUtcNow().ToUnixTimeMilliseconds(), body.ToArray());
            var envelope = SealLocked(peer, remoteIdentityKey, content.Encode());
            _sendSequence[peer] = sequence;
            return (content, envelope);
        }
    }

    /// <summary>
    /// Encrypts an already sent message again, same id and sequence, in a new ratchet message (a retry after the
    /// session changed, say). The recipient drops it as a duplicate if the first copy arrived.
    /// </summary>
    public byte[] Reseal(ReadOnlySpan<byte> remoteIdentityKey, ConversationContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        lock (_gate)
        {
            return SealLocked(Convert.ToHexString(remoteIdentityKey), remoteIdentityKey, content.Encode());
        }
    }

    /// <summary>Encrypts a delivery or read receipt for the given message ids.</summary>
    public byte[] SendReceipt(ReadOnlySpan<byte> remoteIdentityKey, ContentKind kind, IReadOnlyList<byte[]> messageIds)
    {
        var content = ConversationContent.Receipt(kind, messageIds).Encode();
        lock (_gate)
        {
            return SealLocked(Convert.ToHexString(remoteIdentityKey), remoteIdentityKey, content);
        }
    }

    /// <summary>A cover-traffic envelope to <paramref name="remoteIdentityKey"/> in the given bucket; needs no session.</summary>
    public byte[] SendCover(ReadOnlySpan<byte> remoteIdentityKey, int bucket) =>
        SealedSender.SealCover(Identity, _certificate, remoteIdentityKey, bucket);

    /// <summary>Opens, authenticates and decrypts one envelope.</summary>
    /// <exception cref="MalformedInputException">The envelope or something inside it is malformed.</exception>
    /// <exception cref="SealedSenderException">Not for us, not authentic, or a bad sender certificate.</exception>
    /// <exception cref="HandshakeException">An initial message that names used or unknown prekeys, or has bad keys.</exception>
    /// <exception cref="RatchetException">A ratchet message that does not authenticate, is replayed, or has no session.</exception>
    public ReceiveResult Receive(ReadOnlySpan<byte> envelope)
    {
        var opened = SealedSender.Open(Identity, envelope, _time.GetUtcNow().ToUnixTimeSeconds());
        if (opened.Type == SealedContentType.Cover)
        {
            return new ReceiveResult(ReceiveOutcome.Cover, opened.Sender, [], 0, []);
        }

        var payload = opened.Payload;
        if (payload.Length < 1)
        {
            throw new MalformedInputException("An empty message payload.");
        }

        var peer = Convert.ToHexString(opened.Sender.IdentityKey);
        byte[] plaintext;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            plaintext = payload[0] switch
            {
                PayloadPrekey => ReceivePrekeyLocked(peer, opened.Sender.IdentityKey, PrekeyMessage.Decode(payload.AsSpan(1))),
                PayloadRatchet => (_sessions.GetValueOrDefault(peer) ?? throw new RatchetException("No session with this sender.")).Decrypt(payload.AsSpan(1)),
                var kind => throw new MalformedInputException($"Payload kind {kind} is unknown."),
            };

            var content = ConversationContent.Decode(plaintext);
            if (content.Kind != ContentKind.Text)
            {
                return new ReceiveResult(ReceiveOutcome.Receipt, opened.Sender, [], content.Kind, content.ReceiptFor);
            }

            if (!_inboxes.TryGetValue(peer, out var inbox))
            {
                // Bounded by MaxSessions: only a peer with a session gets this far.
                inbox = new ConversationInbox(_orderingWait, _time);
                _inboxes[peer] = inbox;
            }

            var released = inbox.Accept(content.MessageId, content.Sequence, content.SentAtUnixMs, content.Body);
            return released is null
                ? new ReceiveResult(ReceiveOutcome.Duplicate, opened.Sender, [], 0, [])
                : new ReceiveResult(ReceiveOutcome.Message, opened.Sender, released, 0, []);
        }
    }

    /// <summary>
    /// Per peer (identity key hex): the last sequence number sent and the next one expected in, so a restarted node
    /// continues each conversation's numbering instead of starting again at 1.
    /// </summary>
    public IReadOnlyDictionary<string, (ulong Sent, ulong NextExpected)> ExportCounters()
    {
        lock (_gate)
        {
            return _sendSequence.Keys.Union(_inboxes.Keys).ToDictionary(
                peer => peer,
                peer => (_sendSequence.GetValueOrDefault(peer), _inboxes.TryGetValue(peer, out var inbox) ? inbox.NextExpected : 1UL),
                StringComparer.Ordinal);
        }
    }

    /// <summary>Restores one peer's counters from <see cref="ExportCounters"/> (before any traffic with that peer).</summary>
    public void RestoreCounters(string peer, ulong sent, ulong nextExpected)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_gate)
        {
            if (_inboxes.Count >= MaxSessions)
            {
                return;
            }

            _sendSequence[peer] = Math.Max(_sendSequence.GetValueOrDefault(peer), sent);
            if (!_inboxes.TryGetValue(peer, out var inbox))
            {
                inbox = new ConversationInbox(_orderingWait, _time);
                _inboxes[peer] = inbox;
            }

            inbox.ResumeAt(nextExpected);
        }
    }

    /// <summary>
    /// The base keys of accepted initial messages that are still within <see cref="BaseKeyLifetime"/>, oldest first
    /// (save them with the sessions, so a replay is refused after a restart too).
    /// </summary>
    public IReadOnlyList<AcceptedBaseKey> ExportAcceptedBaseKeys()
    {
        lock (_gate)
        {
            ForgetExpiredBaseKeysLocked();
            return [.. _baseKeyOrder.Select(k => _baseKeys[k])];
        }
    }

    /// <summary>
    /// Restores base keys from <see cref="ExportAcceptedBaseKeys"/>. Read back from disk, they are checked like
    /// input: wrong lengths, expired entries and entries dated in the future are skipped, and at most
    /// <see cref="MaxRememberedBaseKeys"/> are kept. Returns how many were restored.
    /// </summary>
    public int RestoreAcceptedBaseKeys(IEnumerable<AcceptedBaseKey> baseKeys)
    {
        ArgumentNullException.ThrowIfNull(baseKeys);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var oldest = now - (long)BaseKeyLifetime.TotalMilliseconds;
        var restored = 0;
        lock (_gate)
        {
            foreach (var entry in baseKeys.OrderBy(k => k?.AcceptedAtUnixMs ?? 0))
            {
                if (entry?.BaseKey is not { Length: 32 } || entry.SessionId is not { Length: > 0 and <= MaxSessionIdLength }
                    || entry.AcceptedAtUnixMs < oldest || entry.AcceptedAtUnixMs > now + (long)TimeSpan.FromDays(1).TotalMilliseconds)
                {
                    continue;
                }

                RememberBaseKeyLocked(new AcceptedBaseKey([.. entry.BaseKey], entry.SessionId, entry.AcceptedAtUnixMs));
                restored++;
            }
        }

        return restored;
    }

    /// <summary>
    /// Messages received but held back for ordering, per peer (identity key hex), with when each started waiting:
    /// save them with the state, since their ratchet keys are used and the sender was answered.
    /// </summary>
    public IReadOnlyList<(string Peer, InboundMessage Message, long HeldSinceUnixMs)> ExportHeld()
    {
        lock (_gate)
        {
            return [.. _inboxes.SelectMany(kv => kv.Value.ExportHeld().Select(h => (kv.Key, h.Message, h.HeldSinceUnixMs)))];
        }
    }

    /// <summary>
    /// Holds a message again that <see cref="ExportHeld"/> returned before a restart (after <see cref="RestoreCounters"/>
    /// for that peer). Checked like input: wrong id or body lengths, and peers beyond <see cref="MaxSessions"/>, are
    /// ignored. Returns whether it is held.
    /// </summary>
    public bool RestoreHeld(string peer, InboundMessage message, long heldSinceUnixMs)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(message);
        if (peer.Length != 64 || message.Body is null || message.Body.Length > ConversationContent.MaxBodyLength)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_inboxes.TryGetValue(peer, out var inbox))
            {
                if (_inboxes.Count >= MaxSessions)
                {
                    return false;
                }

                inbox = new ConversationInbox(_orderingWait, _time);
                _inboxes[peer] = inbox;
            }

            return inbox.RestoreHeld(message, heldSinceUnixMs);
        }
    }

    /// <summary>The remote identity keys (hex) this endpoint has a session with.</summary>
    public IReadOnlyList<string> SessionPeers()
    {
        lock (_gate)
        {
            return [.. _sessions.Keys];
        }
    }

    /// <summary>Messages whose ordering gap has waited too long, released per peer (identity key hex).</summary>
    public IReadOnlyList<(string Peer, InboundMessage Message)> ReleaseStalled()
    {
        lock (_gate)
        {
            return _inboxes.SelectMany(kv => kv.Value.ReleaseStalled().Select(m => (kv.Key, m))).ToList();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var session in _sessions.Values)
            {
                session.Dispose();
            }

            _sessions.Clear();
        }
    }

    private byte[] SealLocked(string peer, ReadOnlySpan<byte> remoteIdentityKey, byte[] content)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _sessions.GetValueOrDefault(peer) ?? throw new InvalidOperationException("No session with this peer; start one from its prekey bundle.");
        var message = session.Encrypt(content);
        byte[] payload = session.PendingPrekey is { } pending
            ? [PayloadPrekey, .. (pending with { RatchetMessage = message }).Encode()]
            : [PayloadRatchet, .. message];
        return SealedSender.Seal(Identity, _certificate, remoteIdentityKey, SealedContentType.Message, payload);
    }

    private byte[] ReceivePrekeyLocked(string peer, byte[] sender, PrekeyMessage message)
    {
        if (!message.InitiatorIdentityKey.AsSpan().SequenceEqual(sender))
        {
            throw new SealedSenderException("The initial message's identity key differs from the envelope's sender.");
        }

        var baseKey = Convert.ToHexString(message.BaseKey);
        ForgetExpiredBaseKeysLocked();
        if (_baseKeys.TryGetValue(baseKey, out var accepted))
        {
            if (_sessions.TryGetValue(peer, out var existing) && existing.SessionId == accepted.SessionId)
            {
                // Another message of a session we already accepted (the initiator has not heard back yet); a replay
                // of one already read is refused by the ratchet.
                return existing.Decrypt(message.RatchetMessage);
            }

            // The session this initial message started is gone (replaced by a newer one): running the handshake again
            // would start a second session from a replayed message and knock out the current one.
            throw new HandshakeException("A replayed initial message: its base key started a session already.");
        }

        if (!_sessions.ContainsKey(peer) && _sessions.Count >= MaxSessions)
        {
            throw new HandshakeException($"This endpoint already holds {MaxSessions} sessions.");
        }

        var (keys, spk, spkPublic) = Pqxdh.Respond(_prekeys, message);
        using (keys)
        {
            var session = RatchetSession.InitializeResponder(keys, spk, spkPublic, _options, _time);
            try
            {
                var plaintext = session.Decrypt(message.RatchetMessage);
                uint? kemId = message.KemPrekeyKind == PrekeyKind.OneTimeKem ? message.KemPrekeyId : null;
                if (!_prekeys.TryConsumeOneTime(message.OneTimeEcPrekeyId, kemId))
                {
                    throw new HandshakeException("The initial message names a one-time prekey that was already used.");
                }

                Replace(peer, session);
                RememberBaseKeyLocked(new AcceptedBaseKey([.. message.BaseKey], session.SessionId, _time.GetUtcNow().ToUnixTimeMilliseconds()));
                return plaintext;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
    }

    private void RememberBaseKeyLocked(AcceptedBaseKey entry)
    {
        var key = Convert.ToHexString(entry.BaseKey);
        if (_baseKeys.ContainsKey(key))
        {
            return;
        }

        while (_baseKeyOrder.Count >= MaxRememberedBaseKeys)
        {
            _baseKeys.Remove(_baseKeyOrder.Dequeue());
        }

        _baseKeys[key] = entry;
        _baseKeyOrder.Enqueue(key);
    }

    private void ForgetExpiredBaseKeysLocked()
    {
        var oldest = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)BaseKeyLifetime.TotalMilliseconds;
        while (_baseKeyOrder.TryPeek(out var key) && _baseKeys[key].AcceptedAtUnixMs < oldest)
        {
            _baseKeys.Remove(_baseKeyOrder.Dequeue());
        }
    }

    private void Replace(string peer, RatchetSession session)
    {
        if (_sessions.Remove(peer, out var old) && !ReferenceEquals(old, session))
        {
            old.Dispose();
        }

        _sessions[peer] = session;
    }
}
