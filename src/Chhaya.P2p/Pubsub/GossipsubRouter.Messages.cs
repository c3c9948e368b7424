// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Pubsub;

/// <summary>Receiving, validating, forwarding and delivering messages; subscriptions; joining and leaving topics.</summary>
public sealed partial class GossipsubRouter
{
    private void HandleRpc(GossipsubPeer peer, PubsubRpc rpc)
    {
        var sends = new Sends();
        List<(MessageId Id, PubsubMessage Message, PeerId? Author, MessageValidator Validator)>? pending = null;
        lock (_gate)
        {
            if (peer.Removed)
            {
                return;
            }

            var score = _score.Score(peer.Id);
            if (score < _options.Thresholds.GraylistThreshold)
            {
                _metrics.RpcsDropped.Add(1, new KeyValuePair<string, object?>("reason", "graylisted"));
                GossipsubLog.Graylisted(_logger, peer.Id, score);
                return;
            }

            foreach (var sub in rpc.Subscriptions)
            {
                HandleSubscription(peer, sub);
            }

            foreach (var message in rpc.Publish)
            {
                HandleMessage(peer, message, sends, ref pending);
            }

            if (rpc.Control is { } control && !peer.IsFloodsub)
            {
                HandleControl(peer, control, sends);
            }
        }

        sends.Flush(this);
        if (pending is not null)
        {
            foreach (var (id, message, author, validator) in pending)
            {
                _ = ValidateAsync(peer.Id, id, message, author, validator);
            }
        }
    }

    private void HandleSubscription(GossipsubPeer peer, SubscriptionChange change)
    {
        if (change.Subscribe)
        {
            if (peer.Topics.Count >= _options.MaxTopicsPerPeer || !peer.Topics.Add(change.Topic))
            {
                return;
            }

            if (!_topics.TryGetValue(change.Topic, out var set))
            {
                set = [];
                _topics[change.Topic] = set;
            }

            set.Add(peer.Id);
            return;
        }

        if (!peer.Topics.Remove(change.Topic))
        {
            return;
        }

        if (_topics.TryGetValue(change.Topic, out var peers))
        {
            peers.Remove(peer.Id);
            if (peers.Count == 0)
            {
                _topics.Remove(change.Topic);
            }
        }

        if (_mesh.TryGetValue(change.Topic, out var mesh) && mesh.Remove(peer.Id))
        {
            _score.Prune(peer.Id, change.Topic);
        }

        if (_fanout.TryGetValue(change.Topic, out var fanout))
        {
            fanout.Remove(peer.Id);
        }
    }

    private void HandleMessage(GossipsubPeer peer, PubsubMessage message, Sends sends, ref List<(MessageId, PubsubMessage, PeerId?, MessageValidator)>? pending)
    {
        var topic = message.Topic;
        if (!_subscriptions.ContainsKey(topic))
        {
            // Routers only relay topics they take part in.
            _metrics.MessagesReceived.Add(1, new KeyValuePair<string, object?>("outcome", "not_subscribed"));
            return;
        }

        var id = new MessageId(IdFor(message));
        var now = _time.GetUtcNow();
        if (_seen.Contains(id))
        {
            _score.DuplicateMessage(id, peer.Id, topic);
            FulfilPromise(id, peer.Id);
            _metrics.MessagesReceived.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));
            return;
        }

        // The signature is checked before the id is marked seen, so a forged copy cannot shadow the real message.
        PeerId? author = null;
        var reason = (message.Data?.Length ?? 0) > _options.MaxMessageSize
            ? "data over the size limit"
            : MessageSigning.Check(message, PolicyFor(topic), out author);
        if (reason is not null)
        {
            _score.RejectInvalidSignature(peer.Id, topic);
            _metrics.MessagesReceived.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
            GossipsubLog.MessageRejected(_logger, id, topic, peer.Id, reason);
            return;
        }

        if (author is not null && author.Equals(PeerId))
        {
            // Our own message coming back after we forgot it: never deliver it as new.
            _seen.Add(id, now);
            return;
        }

        _seen.Add(id, now);
        FulfilPromise(id, peer.Id);
        _score.ValidateMessage(id, peer.Id);
        if (message.WireSize >= _options.IDontWantMessageThreshold && _mesh.TryGetValue(topic, out var mesh))
        {
            // v1.2: tell the mesh at once, before validation, that we have this large message.
            var idontwant = new PubsubRpc { Control = new ControlMessage { IDontWant = [new ControlIDontWant([id.Bytes])] } };
            foreach (var p in mesh)
            {
                if (!p.Equals(peer.Id) && _peers.TryGetValue(p, out var mp) && mp.SupportsIDontWant)
                {
                    sends.Add(mp, idontwant);
                }
            }
        }

        if (!_validators.TryGetValue(topic, out var validator))
        {
            Accept(peer.Id, id, message, author, sends);
            return;
        }

        if (Interlocked.Increment(ref _pendingValidations) > _options.MaxPendingValidations)
        {
            Interlocked.Decrement(ref _pendingValidations);
            _score.IgnoreMessage(id);
            _metrics.MessagesReceived.Add(1, new KeyValuePair<string, object?>("outcome", "ignored"));
            return;
        }

        pending ??= [];
        pending.Add((id, message, author, validator));
    }

    private void FulfilPromise(MessageId id, PeerId peer)
    {
        if (_promises.TryGetValue(id, out var promised))
        {
            promised.Remove(peer);
            if (promised.Count == 0)
            {
                _promises.Remove(id);
            }
        }
    }

    private async Task ValidateAsync(PeerId source, MessageId id, PubsubMessage message, PeerId? author, MessageValidator validator)
    {
        ValidationResult result;
        try
        {
            result = await RunValidatorAsync(validator, new ReceivedMessage(message, id.Bytes, author, source), _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _pendingValidations);
        }

        var sends = new Sends();
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            switch (result)
            {
                case ValidationResult.Accept:
                    Accept(source, id, message, author, sends);
                    break;
                case ValidationResult.Reject:
                    _score.RejectMessage(id, source, message.Topic);
                    _metrics.MessagesReceived.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
                    GossipsubLog.MessageRejected(_logger, id, message.Topic, source, "validator rejected it");
                    break;
                default:
                    _score.IgnoreMessage(id);
                    _metrics.MessagesReceived.Add(1, new KeyValuePair<string, object?>("outcome", "ignored"));
                    break;
            }
        }

        sends.Flush(this);
    }

    /// <summary>Runs a validator with the concurrency bound and the timeout; a timeout or a failure is Ignore.</summary>
    private async Task<ValidationResult> RunValidatorAsync(MessageValidator validator, ReceivedMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(_options.ValidationTimeout);
        try
        {
            await _validationSlots.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            return ValidationResult.Ignore;
        }

        try
        {
            return await validator(message, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            GossipsubLog.ValidatorFailed(_logger, message.Topic, "timed out");
            return ValidationResult.Ignore;
        }
#pragma warning disable CA1031 // A validator's failure, whatever it is, must only drop the message.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            GossipsubLog.ValidatorFailed(_logger, message.Topic, e.Message);
            return ValidationResult.Ignore;
        }
        finally
        {
            _validationSlots.Release();
        }
    }

    private void Accept(PeerId source, MessageId id, PubsubMessage message, PeerId? author, Sends sends)
    {
        var topic = message.Topic;
        _score.DeliverMessage(id, source, topic);
        _mcache.Put(id, message);
        _metrics.MessagesReceived.Add(1, new KeyValuePair<string, object?>("outcome", "accepted"));

        // Forward to the mesh and to floodsub peers, never back to the sender or the author.
        var rpc = new PubsubRpc { Publish = [message] };
        var forwarded = 0;
        IEnumerable<PeerId> targets = _mesh.TryGetValue(topic, out var mesh) ? mesh : [];
        if (_topics.TryGetValue(topic, out var topicPeers))
        {
            targets = targets.Concat(topicPeers.Where(p => _peers.TryGetValue(p, out var fp) && fp.IsFloodsub));
        }

        foreach (var p in targets.Distinct())
        {
            if (p.Equals(source) || p.Equals(author) || !_peers.TryGetValue(p, out var target) || target.DontSend.ContainsKey(id))
            {
                continue;
            }

            sends.Add(target, rpc);
            forwarded++;
        }

        _metrics.MessagesForwarded.Add(forwarded);
        if (_subscriptions.TryGetValue(topic, out var subs))
        {
            var received = new ReceivedMessage(message, id.Bytes, author, source);
            foreach (var sub in subs)
            {
                if (sub.TryDeliver(received))
                {
                    _metrics.MessagesDelivered.Add(1);
                }
            }
        }
    }

    private List<GossipsubPeer> PublishTargets(string topic)
    {
        var result = new List<GossipsubPeer>();
        if (!_topics.TryGetValue(topic, out var topicPeers))
        {
            return result;
        }

        var publishThreshold = _options.Thresholds.PublishThreshold;
        IEnumerable<PeerId> chosen;
        if (_options.FloodPublish)
        {
            chosen = topicPeers.Where(p => _score.Score(p) >= publishThreshold);
        }
        else
        {
            if (!_mesh.TryGetValue(topic, out var peers))
            {
                if (!_fanout.TryGetValue(topic, out peers))
                {
                    peers = [.. Shuffle(topicPeers.Where(p => _peers.TryGetValue(p, out var gp) && !gp.IsFloodsub && _score.Score(p) >= publishThreshold)).Take(_options.D)];
                    _fanout[topic] = peers;
                }

                _fanoutLastPublish[topic] = _time.GetUtcNow();
            }

            chosen = peers.Concat(topicPeers.Where(p => _peers.TryGetValue(p, out var fp) && fp.IsFloodsub && _score.Score(p) >= publishThreshold)).Distinct();
        }

        foreach (var p in chosen)
        {
            if (_peers.TryGetValue(p, out var peer))
            {
                result.Add(peer);
            }
        }

        return result;
    }

    private void Join(string topic, Sends sends)
    {
        var mesh = new HashSet<PeerId>();
        var now = _time.GetUtcNow();
        if (_fanout.Remove(topic, out var fanout))
        {
            foreach (var p in fanout.Where(p => _score.Score(p) >= 0 && !InBackoff(topic, p, now)))
            {
                mesh.Add(p);
            }
        }

        _fanoutLastPublish.Remove(topic);
        if (mesh.Count < _options.D && _topics.TryGetValue(topic, out var topicPeers))
        {
            foreach (var p in Shuffle(topicPeers.Where(p => !mesh.Contains(p) && IsMeshCandidate(topic, p, now))).Take(_options.D - mesh.Count))
            {
                mesh.Add(p);
            }
        }

        _mesh[topic] = mesh;
        var announce = new PubsubRpc { Subscriptions = [new SubscriptionChange(true, topic)] };
        foreach (var peer in _peers.Values)
        {
            sends.Add(peer, announce);
        }

        foreach (var p in mesh)
        {
            _score.Graft(p, topic);
            _metrics.MeshChanges.Add(1, new KeyValuePair<string, object?>("kind", "graft"));
            GossipsubLog.Grafted(_logger, p, topic);
            sends.Add(_peers[p], new PubsubRpc { Control = new ControlMessage { Graft = [new ControlGraft(topic)] } });
        }
    }

    private void Leave(string topic, Sends sends)
    {
        var announce = new PubsubRpc { Subscriptions = [new SubscriptionChange(false, topic)] };
        foreach (var peer in _peers.Values)
        {
            sends.Add(peer, announce);
        }

        if (_mesh.Remove(topic, out var mesh))
        {
            foreach (var p in mesh)
            {
                _score.Prune(p, topic);
                if (_peers.TryGetValue(p, out var peer))
                {
                    sends.Add(peer, new PubsubRpc { Control = new ControlMessage { Prune = [MakePrune(peer, topic, doPx: true, _options.UnsubscribeBackoff)] } });
                }
            }
        }
    }

    private bool IsMeshCandidate(string topic, PeerId p, DateTimeOffset now) =>
        _peers.TryGetValue(p, out var peer) && !peer.IsFloodsub && !InBackoff(topic, p, now) && _score.Score(p) >= 0;

    private bool InBackoff(string topic, PeerId peer, DateTimeOffset now) =>
        _backoff.TryGetValue((topic, peer), out var until) && until > now;

    private static List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
#pragma warning disable CA5394 // Peer selection needs unpredictability to an observer, not cryptographic strength.
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Random.Shared.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
#pragma warning restore CA5394

        return list;
    }
}
