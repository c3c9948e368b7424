// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Conversations;

/// <summary>
/// Per-conversation delivery order and duplicate suppression. The sender numbers its messages 1, 2, 3, …; the inbox
/// releases them in that order, holding an early message until the gap before it fills, and drops any message id it
/// has seen. Bounded: at most <see cref="MaxHeld"/> messages wait, and a gap older than the wait limit is given up
/// (the waiting messages are released; the missing one is released as <c>Late</c> if it ever comes).
/// </summary>
public sealed class ConversationInbox
{
    /// <summary>Most messages held back waiting for a gap.</summary>
    public const int MaxHeld = 256;

    /// <summary>How many recent message ids are remembered for duplicate suppression.</summary>
    public const int RememberedIds = 4096;

    private readonly SortedDictionary<ulong, (InboundMessage Message, long HeldSinceMs)> _held = [];
    private readonly HashSet<UInt128> _seen = [];
    private readonly Queue<UInt128> _seenOrder = new();
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private ulong _next = 1;

    public ConversationInbox(TimeSpan maxWait, TimeProvider? time = null)
    {
        _maxWait = maxWait;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The sequence number the inbox waits for next.</summary>
    public ulong NextExpected => _next;

    /// <summary>
    /// Continues a conversation restored from storage: the next message expected is <paramref name="next"/>. Only
    /// before anything was accepted, and only forward.
    /// </summary>
    public void ResumeAt(ulong next)
    {
        if (next >= 1 && _held.Count == 0 && _seen.Count == 0)
        {
            _next = Math.Max(_next, next);
        }
    }

    /// <summary>The messages held back for a gap, with when each started waiting (Unix ms), lowest sequence first.</summary>
    public IReadOnlyList<(InboundMessage Message, long HeldSinceUnixMs)> ExportHeld() => [.. _held.Values];

    /// <summary>
    /// Holds a message again that was held before a restart (after <see cref="ResumeAt"/>). Ignored when it is
    /// not ahead of the next expected number, when its sequence number or id is already here, or when
    /// <see cref="MaxHeld"/> messages wait already. Returns whether it is held.
    /// </summary>
    public bool RestoreHeld(InboundMessage message, long heldSinceUnixMs)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.MessageId is not { Length: ConversationContent.MessageIdLength } || message.Sequence < _next
            || _held.Count >= MaxHeld || _held.ContainsKey(message.Sequence))
        {
            return false;
        }

        if (!Remember(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(message.MessageId)))
        {
            return false;
        }

        _held.Add(message.Sequence, (message with { Late = false }, heldSinceUnixMs));
        return true;
    }

    /// <summary>Messages held back now.</summary>
    public int HeldCount => _held.Count;

    /// <summary>
    /// Takes one received message; returns what is now released in order (possibly nothing), or null when the
    /// message id was already seen (a duplicate, dropped).
    /// </summary>
    public IReadOnlyList<InboundMessage>? Accept(byte[] messageId, ulong sequence, long sentAtUnixMs, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var key = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(messageId);
        if (!Remember(key))
        {
            return null;
        }

        var released = new List<InboundMessage>();
        if (sequence < _next)
        {
            released.Add(new InboundMessage(messageId, sequence, sentAtUnixMs, body, Late: true));
            return released;
        }

        if (!_held.TryAdd(sequence, (new InboundMessage(messageId, sequence, sentAtUnixMs, body, false), _time.GetUtcNow().ToUnixTimeMilliseconds())))
        {
            // Same sequence number under another id: the sender misbehaved; keep the first one.
            return released;
        }

        Drain(released);
        if (_held.Count > MaxHeld)
        {
            GiveUpOldestGap(released);
        }

        return released;
    }

    /// <summary>Releases held messages whose gap has waited longer than the limit.</summary>
    public IReadOnlyList<InboundMessage> ReleaseStalled()
    {
        var released = new List<InboundMessage>();
        var cutoff = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_maxWait.TotalMilliseconds;
        while (_held.Count > 0 && _held.First().Value.HeldSinceMs <= cutoff)
        {
            GiveUpOldestGap(released);
        }

        return released;
    }

    private void GiveUpOldestGap(List<InboundMessage> released)
    {
        _next = _held.First().Key;
        Drain(released);
    }

    private void Drain(List<InboundMessage> released)
    {
        while (_held.Remove(_next, out var entry))
        {
            released.Add(entry.Message);
            _next++;
        }
    }

    private bool Remember(UInt128 key)
    {
        if (!_seen.Add(key))
        {
            return false;
        }

        _seenOrder.Enqueue(key);
        if (_seenOrder.Count > RememberedIds)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }

        return true;
    }
}
