// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Pubsub;

/// <summary>
/// The v1.1 peer score: counters per peer and topic, updated on router events, decayed every
/// <see cref="PeerScoreParams.DecayInterval"/>, and combined by <see cref="Score"/>. Not thread-safe: the router
/// calls it under its lock. Disconnected peers keep their counters for <see cref="PeerScoreParams.RetainScore"/>.
/// </summary>
internal sealed class PeerScore
{
    private readonly PeerScoreParams _params;
    private readonly TimeProvider _time;
    private readonly Dictionary<PeerId, PeerStats> _peers = [];
    private readonly Dictionary<IPAddress, HashSet<PeerId>> _peersByIp = [];
    private readonly Dictionary<MessageId, DeliveryRecord> _deliveries = [];
    private readonly Queue<(MessageId Id, DateTimeOffset Expires)> _deliveryExpiry = new();

    public PeerScore(PeerScoreParams parameters, TimeProvider time)
    {
        _params = parameters;
        _time = time;
    }

    private enum DeliveryStatus
    {
        Unknown,
        Valid,
        Invalid,
        Ignored,
    }

    public int TrackedPeers => _peers.Count;

    public void AddPeer(PeerId peer, IPAddress? ip)
    {
        if (!_peers.TryGetValue(peer, out var stats))
        {
            stats = new PeerStats();
            _peers[peer] = stats;
        }

        stats.Connected = true;
        stats.Ip = ip;
        if (ip is not null && !_params.IPColocationFactorWhitelist.Any(n => n.Contains(ip)))
        {
            if (!_peersByIp.TryGetValue(ip, out var set))
            {
                set = [];
                _peersByIp[ip] = set;
            }

            set.Add(peer);
        }
    }

    public void RemovePeer(PeerId peer)
    {
        if (!_peers.TryGetValue(peer, out var stats))
        {
            return;
        }

        if (stats.Ip is not null && _peersByIp.TryGetValue(stats.Ip, out var set))
        {
            set.Remove(peer);
            if (set.Count == 0)
            {
                _peersByIp.Remove(stats.Ip);
            }
        }

        // A peer that leaves with a positive score is forgotten; a negative one is remembered.
        if (Score(peer) > 0)
        {
            _peers.Remove(peer);
            return;
        }

        foreach (var (topic, ts) in stats.Topics)
        {
            if (ts.InMesh)
            {
                ApplyMeshFailure(topic, ts);
                ts.InMesh = false;
            }
        }

        stats.Connected = false;
        stats.Expires = _time.GetUtcNow() + _params.RetainScore;
    }

    public double Score(PeerId peer)
    {
        if (!_peers.TryGetValue(peer, out var stats))
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        double topicSum = 0;
        foreach (var (topic, ts) in stats.Topics)
        {
            if (_params.For(topic) is not { } p)
            {
                continue;
            }

            double t = 0;
            if (ts.InMesh)
            {
                var p1 = Math.Min((now - ts.GraftTime) / p.TimeInMeshQuantum, p.TimeInMeshCap);
                t += p1 * p.TimeInMeshWeight;
            }

            t += ts.FirstMessageDeliveries * p.FirstMessageDeliveriesWeight;
            if (ts.InMesh && now - ts.GraftTime > p.MeshMessageDeliveriesActivation && ts.MeshMessageDeliveries < p.MeshMessageDeliveriesThreshold)
            {
                var deficit = p.MeshMessageDeliveriesThreshold - ts.MeshMessageDeliveries;
                t += deficit * deficit * p.MeshMessageDeliveriesWeight;
            }

            t += ts.MeshFailurePenalty * p.MeshFailurePenaltyWeight;
            t += ts.InvalidMessageDeliveries * ts.InvalidMessageDeliveries * p.InvalidMessageDeliveriesWeight;
            topicSum += t * p.TopicWeight;
        }

        if (_params.TopicScoreCap > 0 && topicSum > _params.TopicScoreCap)
        {
            topicSum = _params.TopicScoreCap;
        }

        var score = topicSum;
        if (_params.AppSpecificScore is { } app)
        {
            score += app(peer) * _params.AppSpecificWeight;
        }

        if (stats.Ip is not null && _peersByIp.TryGetValue(stats.Ip, out var colocated) && colocated.Count > _params.IPColocationFactorThreshold)
        {
            var surplus = colocated.Count - _params.IPColocationFactorThreshold;
            score += surplus * (double)surplus * _params.IPColocationFactorWeight;
        }

        var excess = stats.BehaviourPenalty - _params.BehaviourPenaltyThreshold;
        if (excess > 0)
        {
            score += excess * excess * _params.BehaviourPenaltyWeight;
        }

        return score;
    }

    public void AddPenalty(PeerId peer, int count)
    {
        if (_peers.TryGetValue(peer, out var stats))
        {
            stats.BehaviourPenalty += count;
        }
    }

    public void Graft(PeerId peer, string topic)
    {
        if (TopicStatsOf(peer, topic) is { } ts)
        {
            ts.InMesh = true;
            ts.GraftTime = _time.GetUtcNow();
        }
    }

    public void Prune(PeerId peer, string topic)
    {
        if (TopicStatsOf(peer, topic) is { } ts && ts.InMesh)
        {
            ApplyMeshFailure(topic, ts);
            ts.InMesh = false;
        }
    }

    /// <summary>A message passed the signature check and was seen for the first time: open its delivery record.</summary>
    public void ValidateMessage(MessageId id, PeerId from)
    {
        if (_deliveries.ContainsKey(id))
        {
            return;
        }

        var now = _time.GetUtcNow();
        _deliveries[id] = new DeliveryRecord { FirstSeen = now, Peers = [from] };
        _deliveryExpiry.Enqueue((id, now + TimeSpan.FromMinutes(2)));
    }

    /// <summary>The message was accepted: reward its first deliverer (P2) and mesh deliverers (P3).</summary>
    public void DeliverMessage(MessageId id, PeerId from, string topic)
    {
        MarkFirstDelivery(from, topic);
        MarkMeshDelivery(from, topic);
        if (_deliveries.TryGetValue(id, out var rec) && rec.Status == DeliveryStatus.Unknown)
        {
            rec.Status = DeliveryStatus.Valid;
            rec.Validated = _time.GetUtcNow();
            foreach (var p in rec.Peers.Where(p => !p.Equals(from)))
            {
                MarkMeshDelivery(p, topic);
            }
        }
    }

    /// <summary>The message failed the signature check: only the peer that sent it is penalised (P4).</summary>
    public void RejectInvalidSignature(PeerId from, string topic) => MarkInvalid(from, topic);

    /// <summary>The validator rejected the message: every peer that sent it is penalised (P4).</summary>
    public void RejectMessage(MessageId id, PeerId from, string topic)
    {
        MarkInvalid(from, topic);
        if (_deliveries.TryGetValue(id, out var rec) && rec.Status == DeliveryStatus.Unknown)
        {
            rec.Status = DeliveryStatus.Invalid;
            foreach (var p in rec.Peers.Where(p => !p.Equals(from)))
            {
                MarkInvalid(p, topic);
            }
        }
    }

    public void IgnoreMessage(MessageId id)
    {
        if (_deliveries.TryGetValue(id, out var rec))
        {
            rec.Status = DeliveryStatus.Ignored;
        }
    }

    /// <summary>A copy of a message already seen: near-first mesh credit, or the penalty if it was invalid.</summary>
    public void DuplicateMessage(MessageId id, PeerId from, string topic)
    {
        if (!_deliveries.TryGetValue(id, out var rec) || !rec.Peers.Add(from))
        {
            return;
        }

        switch (rec.Status)
        {
            case DeliveryStatus.Valid:
                if (_params.For(topic) is { } p && _time.GetUtcNow() - rec.Validated <= p.MeshMessageDeliveriesWindow)
                {
                    MarkMeshDelivery(from, topic);
                }

                break;
            case DeliveryStatus.Invalid:
                MarkInvalid(from, topic);
                break;
            default:
                // Still validating: credited or penalised when validation ends.
                break;
        }
    }

    /// <summary>Decays the counters and forgets expired peers and delivery records.</summary>
    public void Decay()
    {
        var now = _time.GetUtcNow();
        foreach (var (peer, stats) in _peers.ToList())
        {
            if (!stats.Connected && stats.Expires < now)
            {
                _peers.Remove(peer);
                continue;
            }

            foreach (var (topic, ts) in stats.Topics)
            {
                if (_params.For(topic) is not { } p)
                {
                    continue;
                }

                ts.FirstMessageDeliveries = DecayValue(ts.FirstMessageDeliveries * p.FirstMessageDeliveriesDecay);
                ts.MeshMessageDeliveries = DecayValue(ts.MeshMessageDeliveries * p.MeshMessageDeliveriesDecay);
                ts.MeshFailurePenalty = DecayValue(ts.MeshFailurePenalty * p.MeshFailurePenaltyDecay);
                ts.InvalidMessageDeliveries = DecayValue(ts.InvalidMessageDeliveries * p.InvalidMessageDeliveriesDecay);
            }

            stats.BehaviourPenalty = DecayValue(stats.BehaviourPenalty * _params.BehaviourPenaltyDecay);
        }

        while (_deliveryExpiry.TryPeek(out var head) && head.Expires < now)
        {
            _deliveryExpiry.Dequeue();
            _deliveries.Remove(head.Id);
        }
    }

    private double DecayValue(double v) => v < _params.DecayToZero ? 0 : v;

    private void ApplyMeshFailure(string topic, TopicStats ts)
    {
        if (_params.For(topic) is { } p && _time.GetUtcNow() - ts.GraftTime > p.MeshMessageDeliveriesActivation && ts.MeshMessageDeliveries < p.MeshMessageDeliveriesThreshold)
        {
            var deficit = p.MeshMessageDeliveriesThreshold - ts.MeshMessageDeliveries;
            ts.MeshFailurePenalty += deficit * deficit;
        }
    }

    private void MarkFirstDelivery(PeerId peer, string topic)
    {
        if (TopicStatsOf(peer, topic) is { } ts && _params.For(topic) is { } p)
        {
            ts.FirstMessageDeliveries = Math.Min(ts.FirstMessageDeliveries + 1, p.FirstMessageDeliveriesCap);
        }
    }

    private void MarkMeshDelivery(PeerId peer, string topic)
    {
        if (TopicStatsOf(peer, topic) is { InMesh: true } ts && _params.For(topic) is { } p)
        {
            ts.MeshMessageDeliveries = Math.Min(ts.MeshMessageDeliveries + 1, p.MeshMessageDeliveriesCap);
        }
    }

    private void MarkInvalid(PeerId peer, string topic)
    {
        if (TopicStatsOf(peer, topic) is { } ts)
        {
            ts.InvalidMessageDeliveries += 1;
        }
    }

    private TopicStats? TopicStatsOf(PeerId peer, string topic)
    {
        if (!_peers.TryGetValue(peer, out var stats) || _params.For(topic) is null)
        {
            return null;
        }

        if (!stats.Topics.TryGetValue(topic, out var ts))
        {
            // Bounded by the router: it only reports topics we take part in.
            ts = new TopicStats();
            stats.Topics[topic] = ts;
        }

        return ts;
    }

    private sealed class PeerStats
    {
        public bool Connected { get; set; }

        public DateTimeOffset Expires { get; set; }

        public IPAddress? Ip { get; set; }

        public double BehaviourPenalty { get; set; }

        public Dictionary<string, TopicStats> Topics { get; } = new(StringComparer.Ordinal);
    }

    private sealed class TopicStats
    {
        public bool InMesh { get; set; }

        public DateTimeOffset GraftTime { get; set; }

        public double FirstMessageDeliveries { get; set; }

        public double MeshMessageDeliveries { get; set; }

        public double MeshFailurePenalty { get; set; }

        public double InvalidMessageDeliveries { get; set; }
    }

    private sealed class DeliveryRecord
    {
        public DeliveryStatus Status { get; set; }

        public DateTimeOffset FirstSeen { get; init; }

        public DateTimeOffset Validated { get; set; }

        public required HashSet<PeerId> Peers { get; init; }
    }
}
