// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Pubsub;

/// <summary>Control messages: IHAVE, IWANT, GRAFT, PRUNE (with back-off and peer exchange) and IDONTWANT.</summary>
public sealed partial class GossipsubRouter
{
    /// <summary>Longest back-off accepted from a PRUNE, so a peer cannot shut itself out of our mesh for ever by accident.</summary>
    private static readonly TimeSpan MaxPeerBackoff = TimeSpan.FromHours(1);

    private void HandleControl(GossipsubPeer peer, ControlMessage control, Sends sends)
    {
        var iwant = HandleIHave(peer, control.IHave);
        HandleIWant(peer, control.IWant, sends);
        var prunes = HandleGraft(peer, control.Graft);
        HandlePrune(peer, control.Prune, sends);
        HandleIDontWant(peer, control.IDontWant);
        if (iwant is not null || prunes.Count > 0)
        {
            sends.Add(peer, new PubsubRpc { Control = new ControlMessage { IWant = iwant is null ? [] : [iwant], Prune = prunes } });
        }
    }

    private ControlIWant? HandleIHave(GossipsubPeer peer, List<ControlIHave> ihaves)
    {
        if (ihaves.Count == 0 || _score.Score(peer.Id) < _options.Thresholds.GossipThreshold)
        {
            return null;
        }

        peer.IHaveCount++;
        if (peer.IHaveCount > _options.MaxIHaveMessages || peer.IAsked >= _options.MaxIHaveLength)
        {
            return null;
        }

        var want = new HashSet<MessageId>();
        foreach (var ihave in ihaves)
        {
            if (!_mesh.ContainsKey(ihave.Topic))
            {
                continue;
            }

            foreach (var raw in ihave.MessageIds)
            {
                var id = new MessageId(raw);
                if (!_seen.Contains(id))
                {
                    want.Add(id);
                }
            }
        }

        if (want.Count == 0)
        {
            return null;
        }

        var asked = Shuffle(want).Take(_options.MaxIHaveLength - peer.IAsked).ToList();
        peer.IAsked += asked.Count;

        // Track one promise per IWANT: if the peer does not deliver in time it earns a behaviour penalty.
        var promised = asked[0];
        if (!_promises.TryGetValue(promised, out var byPeer))
        {
            byPeer = [];
            _promises[promised] = byPeer;
        }

        byPeer[peer.Id] = _time.GetUtcNow() + _options.IWantFollowupTime;
        return new ControlIWant([.. asked.Select(i => i.Bytes)]);
    }

    private void HandleIWant(GossipsubPeer peer, List<ControlIWant> iwants, Sends sends)
    {
        if (iwants.Count == 0 || _score.Score(peer.Id) < _options.Thresholds.GossipThreshold)
        {
            return;
        }

        foreach (var raw in iwants.SelectMany(w => w.MessageIds))
        {
            var (message, count) = _mcache.GetForPeer(new MessageId(raw), peer.Id);
            if (message is null || count > _options.GossipRetransmission)
            {
                continue;
            }

            sends.Add(peer, new PubsubRpc { Publish = [message] });
        }
    }

    private List<ControlPrune> HandleGraft(GossipsubPeer peer, List<ControlGraft> grafts)
    {
        var prunes = new List<ControlPrune>();
        var now = _time.GetUtcNow();
        foreach (var graft in grafts)
        {
            if (!_mesh.TryGetValue(graft.Topic, out var mesh))
            {
                // Not our topic: refuse without peer exchange (not to leak peers) and without a back-off entry,
                // so GRAFTs for made-up topics cannot grow our tables.
                prunes.Add(new ControlPrune(graft.Topic, [], peer.SupportsPeerExchange ? (ulong)_options.PruneBackoff.TotalSeconds : null));
                continue;
            }

            if (mesh.Contains(peer.Id))
            {
                continue;
            }

            if (_backoff.TryGetValue((graft.Topic, peer.Id), out var until) && until > now)
            {
                // v1.1: a GRAFT during back-off is penalised, twice when it comes right after the PRUNE.
                var flood = until - _options.PruneBackoff + _options.GraftFloodThreshold > now;
                _score.AddPenalty(peer.Id, flood ? 2 : 1);
                GossipsubLog.Penalty(_logger, peer.Id, "GRAFT during back-off");
                prunes.Add(MakePrune(peer, graft.Topic, doPx: false, _options.PruneBackoff));
                continue;
            }

            if (_score.Score(peer.Id) < 0)
            {
                prunes.Add(MakePrune(peer, graft.Topic, doPx: false, _options.PruneBackoff));
                continue;
            }

            if (mesh.Count >= _options.DHigh && !peer.IsOutbound)
            {
                prunes.Add(MakePrune(peer, graft.Topic, doPx: true, _options.PruneBackoff));
                continue;
            }

            mesh.Add(peer.Id);
            _score.Graft(peer.Id, graft.Topic);
            _metrics.MeshChanges.Add(1, new KeyValuePair<string, object?>("kind", "graft"));
            GossipsubLog.Grafted(_logger, peer.Id, graft.Topic);
        }

        return prunes;
    }

    private void HandlePrune(GossipsubPeer peer, List<ControlPrune> prunes, Sends sends)
    {
        var now = _time.GetUtcNow();
        foreach (var prune in prunes)
        {
            if (_mesh.TryGetValue(prune.Topic, out var mesh) && mesh.Remove(peer.Id))
            {
                _score.Prune(peer.Id, prune.Topic);
                _metrics.MeshChanges.Add(1, new KeyValuePair<string, object?>("kind", "pruned_by_peer"));
                GossipsubLog.Pruned(_logger, peer.Id, prune.Topic);
            }

            if (!_mesh.ContainsKey(prune.Topic) && !_topics.ContainsKey(prune.Topic))
            {
                // No state for topics we know nothing about: a PRUNE flood cannot grow the back-off table.
                continue;
            }

            var backoff = prune.BackoffSeconds is { } s ? TimeSpan.FromSeconds(Math.Min(s, (ulong)MaxPeerBackoff.TotalSeconds)) : _options.PruneBackoff;
            SetBackoff(prune.Topic, peer.Id, now + backoff);

            if (prune.Peers.Count > 0 && peer.SupportsPeerExchange && _score.Score(peer.Id) >= _options.Thresholds.AcceptPXThreshold)
            {
                var offered = new List<PeerId>();
                foreach (var info in prune.Peers.Take(_options.PrunePeers))
                {
                    if (info.PeerId is null)
                    {
                        continue;
                    }

                    try
                    {
                        var id = PeerId.FromBytes(info.PeerId);
                        if (!id.Equals(PeerId) && !_peers.ContainsKey(id))
                        {
                            offered.Add(id);
                        }
                    }
                    catch (MalformedInputException)
                    {
                        // A bad entry is skipped; the rest of the list may still be useful.
                    }
                }

                if (offered.Count > 0)
                {
                    sends.Exchange(new PeerExchangeEventArgs(peer.Id, prune.Topic, offered));
                }
            }
        }
    }

    private void HandleIDontWant(GossipsubPeer peer, List<ControlIDontWant> idontwants)
    {
        if (!peer.SupportsIDontWant)
        {
            return;
        }

        var expires = _ticks + _options.IDontWantTtlHeartbeats;
        foreach (var raw in idontwants.SelectMany(x => x.MessageIds))
        {
            if (peer.IDontWantCount >= _options.MaxIDontWantMessages)
            {
                return;
            }

            peer.IDontWantCount++;
            peer.DontSend[new MessageId(raw)] = expires;
        }
    }

    private void SetBackoff(string topic, PeerId peer, DateTimeOffset until)
    {
        if (!_backoff.TryGetValue((topic, peer), out var current) || current < until)
        {
            _backoff[(topic, peer)] = until;
        }
    }

    /// <summary>Builds a PRUNE, records our back-off for the peer, and adds peer exchange for v1.1+ peers.</summary>
    private ControlPrune MakePrune(GossipsubPeer peer, string topic, bool doPx, TimeSpan backoff)
    {
        SetBackoff(topic, peer.Id, _time.GetUtcNow() + backoff);
        if (!peer.SupportsPeerExchange)
        {
            return new ControlPrune(topic, [], null);
        }

        var px = new List<PeerExchangeInfo>();
        if (doPx && _topics.TryGetValue(topic, out var topicPeers))
        {
            px.AddRange(Shuffle(topicPeers.Where(p => !p.Equals(peer.Id) && _score.Score(p) >= 0))
                .Take(_options.PrunePeers)
                .Select(p => new PeerExchangeInfo(p.Bytes.ToArray(), null)));
        }

        return new ControlPrune(topic, px, (ulong)backoff.TotalSeconds);
    }
}
