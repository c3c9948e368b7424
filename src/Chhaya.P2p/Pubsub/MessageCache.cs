// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Pubsub;

/// <summary>
/// The message cache (gossipsub v1.0 "Message Cache"): recent messages in <c>HistoryLength</c> heartbeat
/// windows, answering IWANT, with the newest <c>HistoryGossip</c> windows advertised in IHAVE. Counts how often
/// each peer asked for each message so IWANT cannot be used to amplify traffic. Not thread-safe.
/// </summary>
internal sealed class MessageCache
{
    private readonly int _gossip;
    private readonly LinkedList<List<(MessageId Id, string Topic)>> _windows = new();
    private readonly Dictionary<MessageId, Entry> _messages = [];

    public MessageCache(int historyLength, int historyGossip)
    {
        _gossip = historyGossip;
        for (var i = 0; i < historyLength; i++)
        {
            _windows.AddLast([]);
        }
    }

    public int Count => _messages.Count;

    public void Put(MessageId id, PubsubMessage message)
    {
        if (_messages.TryAdd(id, new Entry(message)))
        {
            _windows.First!.Value.Add((id, message.Topic));
        }
    }

    public PubsubMessage? Get(MessageId id) => _messages.TryGetValue(id, out var e) ? e.Message : null;

    /// <summary>The message and how many times <paramref name="peer"/> has now asked for it.</summary>
    public (PubsubMessage? Message, int Count) GetForPeer(MessageId id, PeerId peer)
    {
        if (!_messages.TryGetValue(id, out var e))
        {
            return (null, 0);
        }

        var n = e.Transmissions.GetValueOrDefault(peer) + 1;
        e.Transmissions[peer] = n;
        return (e.Message, n);
    }

    public List<MessageId> GossipIds(string topic)
    {
        var ids = new List<MessageId>();
        var i = 0;
        for (var w = _windows.First; w is not null && i < _gossip; w = w.Next, i++)
        {
            ids.AddRange(w.Value.Where(x => x.Topic == topic).Select(x => x.Id));
        }

        return ids;
    }

    /// <summary>Ends a heartbeat window: the oldest window's messages are forgotten.</summary>
    public void Shift()
    {
        var last = _windows.Last!.Value;
        _windows.RemoveLast();
        foreach (var (id, _) in last)
        {
            _messages.Remove(id);
        }

        last.Clear();
        _windows.AddFirst(last);
    }

    private sealed class Entry(PubsubMessage message)
    {
        public PubsubMessage Message { get; } = message;

        public Dictionary<PeerId, int> Transmissions { get; } = [];
    }
}
