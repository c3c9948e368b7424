// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Pubsub;

/// <summary>The heartbeat (gossipsub v1.0 "Heartbeat", v1.1 "Heartbeat Maintenance" and "Opportunistic Grafting").</summary>
public sealed partial class GossipsubRouter
{
    private async Task HeartbeatLoopAsync()
    {
        try
        {
            await Task.Delay(_options.HeartbeatInitialDelay, _time, _stopping.Token).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
            do
            {
                Heartbeat();
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One heartbeat: mesh maintenance, fanout, gossip, then housekeeping. Public for tests that step time.</summary>
    internal void Heartbeat()
    {
        var sends = new Sends();
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            _ticks++;
            var now = _time.GetUtcNow();
            if (now - _lastDecay >= _options.Score.DecayInterval)
            {
                _score.Decay();
                _lastDecay = now;
            }

            var scores = new Dictionary<PeerId, double>();
            double ScoreOf(PeerId p)
            {
                if (!scores.TryGetValue(p, out var s))
                {
                    s = _score.Score(p);
                    scores[p] = s;
                }

                return s;
            }

            PenaliseBrokenPromises(now);
            foreach (var key in _backoff.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList())
            {
                _backoff.Remove(key);
            }

            var grafts = new Dictionary<PeerId, List<string>>();
            var prunes = new Dictionary<PeerId, List<(string Topic, bool Px)>>();
            var gossip = new Dictionary<PeerId, List<ControlIHave>>();

            foreach (var (topic, mesh) in _mesh)
            {
                MaintainMesh(topic, mesh, now, ScoreOf, grafts, prunes);
                EmitGossip(topic, mesh, ScoreOf, gossip);
            }

            foreach (var topic in _fanout.Keys.ToList())
            {
                if (_fanoutLastPublish.GetValueOrDefault(topic) + _options.FanoutTtl < now)
                {
                    _fanout.Remove(topic);
                    _fanoutLastPublish.Remove(topic);
                    continue;
                }

                var fanout = _fanout[topic];
                var topicPeers = _topics.GetValueOrDefault(topic) ?? [];
                fanout.RemoveWhere(p => !topicPeers.Contains(p) || ScoreOf(p) < _options.Thresholds.PublishThreshold);
                if (fanout.Count < _options.D)
                {
                    foreach (var p in Shuffle(topicPeers.Where(p => !fanout.Contains(p) && _peers.TryGetValue(p, out var gp) && !gp.IsFloodsub && ScoreOf(p) >= _options.Thresholds.PublishThreshold)).Take(_options.D - fanout.Count))
                    {
                        fanout.Add(p);
                    }
                }

                EmitGossip(topic, fanout, ScoreOf, gossip);
            }

            foreach (var peerId in grafts.Keys.Union(prunes.Keys).Union(gossip.Keys))
            {
                if (!_peers.TryGetValue(peerId, out var peer))
                {
                    continue;
                }

                var control = new ControlMessage
                {
                    Graft = [.. (grafts.GetValueOrDefault(peerId) ?? []).Select(t => new ControlGraft(t))],
                    Prune = [.. (prunes.GetValueOrDefault(peerId) ?? []).Select(x => MakePrune(peer, x.Topic, x.Px, _options.PruneBackoff))],
                    IHave = gossip.GetValueOrDefault(peerId) ?? [],
                };
                sends.Add(peer, new PubsubRpc { Control = control });
            }

            _mcache.Shift();
            _seen.Sweep(now);
            foreach (var peer in _peers.Values)
            {
                peer.IHaveCount = 0;
                peer.IAsked = 0;
                peer.IDontWantCount = 0;
                if (peer.DontSend.Count > 0)
                {
                    foreach (var id in peer.DontSend.Where(kv => kv.Value < _ticks).Select(kv => kv.Key).ToList())
                    {
                        peer.DontSend.Remove(id);
                    }
                }
            }
        }

        sends.Flush(this);
    }

    private void MaintainMesh(string topic, HashSet<PeerId> mesh, DateTimeOffset now, Func<PeerId, double> score, Dictionary<PeerId, List<string>> grafts, Dictionary<PeerId, List<(string, bool)>> prunes)
    {
        void Graft(PeerId p)
        {
            mesh.Add(p);
            _score.Graft(p, topic);
            Add(grafts, p, topic);
            _metrics.MeshChanges.Add(1, new KeyValuePair<string, object?>("kind", "graft"));
            GossipsubLog.Grafted(_logger, p, topic);
        }

        void Prune(PeerId p, bool px)
        {
            mesh.Remove(p);
            _score.Prune(p, topic);
            Add(prunes, p, (topic, px));
            _metrics.MeshChanges.Add(1, new KeyValuePair<string, object?>("kind", "prune"));
            GossipsubLog.Pruned(_logger, p, topic);
        }

        bool Outbound(PeerId p) => _peers.TryGetValue(p, out var gp) && gp.IsOutbound;

        IEnumerable<PeerId> Candidates() =>
            (_topics.GetValueOrDefault(topic) ?? []).Where(p => !mesh.Contains(p) && _peers.TryGetValue(p, out var gp) && !gp.IsFloodsub && !InBackoff(topic, p, now) && score(p) >= 0);

        // Negative-score peers leave the mesh, without peer exchange.
        foreach (var p in mesh.Where(p => score(p) < 0).ToList())
        {
            Prune(p, false);
        }

        if (mesh.Count < _options.DLow)
        {
            foreach (var p in Shuffle(Candidates()).Take(_options.D - mesh.Count))
            {
                Graft(p);
            }
        }

        if (mesh.Count > _options.DHigh)
        {
            // Keep the D_score best, fill to D at random, then make sure D_out of them are outbound.
            var byScore = Shuffle(mesh).OrderByDescending(score).ToList();
            var keep = byScore.Take(_options.DScore).ToList();
            keep.AddRange(Shuffle(byScore.Skip(_options.DScore)).Take(_options.D - keep.Count));
            var outbound = keep.Count(Outbound);
            if (outbound < _options.DOut)
            {
                var extra = byScore.Where(p => !keep.Contains(p) && Outbound(p)).Take(_options.DOut - outbound).ToList();
                for (var i = keep.Count - 1; i >= 0 && extra.Count > 0; i--)
                {
                    if (!Outbound(keep[i]))
                    {
                        keep[i] = extra[^1];
                        extra.RemoveAt(extra.Count - 1);
                    }
                }
            }

            foreach (var p in mesh.Except(keep).ToList())
            {
                Prune(p, true);
            }
        }

        if (mesh.Count >= _options.DLow)
        {
            var outbound = mesh.Count(Outbound);
            if (outbound < _options.DOut)
            {
                foreach (var p in Shuffle(Candidates().Where(Outbound)).Take(_options.DOut - outbound))
                {
                    Graft(p);
                }
            }
        }

        if (_options.OpportunisticGraftTicks > 0 && _ticks % _options.OpportunisticGraftTicks == 0 && mesh.Count > 1)
        {
            var sorted = mesh.Select(score).Order().ToList();
            var median = sorted[sorted.Count / 2];
            if (median < _options.Thresholds.OpportunisticGraftThreshold)
            {
                foreach (var p in Shuffle(Candidates().Where(p => score(p) > median)).Take(_options.OpportunisticGraftPeers))
                {
                    Graft(p);
                }
            }
        }
    }

    private void EmitGossip(string topic, HashSet<PeerId> exclude, Func<PeerId, double> score, Dictionary<PeerId, List<ControlIHave>> gossip)
    {
        var ids = _mcache.GossipIds(topic);
        if (ids.Count == 0 || !_topics.TryGetValue(topic, out var topicPeers))
        {
            return;
        }

        var candidates = topicPeers.Where(p => !exclude.Contains(p) && _peers.TryGetValue(p, out var gp) && !gp.IsFloodsub && score(p) >= _options.Thresholds.GossipThreshold).ToList();
        var target = Math.Max(_options.DLazy, (int)(_options.GossipFactor * candidates.Count));
        if (ids.Count > _options.MaxIHaveLength)
        {
            ids = Shuffle(ids).Take(_options.MaxIHaveLength).ToList();
        }

        foreach (var p in Shuffle(candidates).Take(target))
        {
            Add(gossip, p, new ControlIHave(topic, [.. ids.Select(i => i.Bytes)]));
        }
    }

    private void PenaliseBrokenPromises(DateTimeOffset now)
    {
        foreach (var (id, byPeer) in _promises.ToList())
        {
            foreach (var (peer, deadline) in byPeer.ToList())
            {
                if (deadline < now)
                {
                    byPeer.Remove(peer);
                    _score.AddPenalty(peer, 1);
                    GossipsubLog.Penalty(_logger, peer, "IWANT promise broken");
                }
            }

            if (byPeer.Count == 0)
            {
                _promises.Remove(id);
            }
        }
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        list.Add(value);
    }
}
