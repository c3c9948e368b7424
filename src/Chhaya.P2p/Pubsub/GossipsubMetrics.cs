// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.Metrics;
using Chhaya.P2p.Hosting;

namespace Chhaya.P2p.Pubsub;

/// <summary>Gossipsub instruments, on the <c>Chhaya.P2p</c> meter (<see cref="P2pMetrics.MeterName"/>), named <c>chhaya.p2p.gossipsub.*</c>.</summary>
public sealed class GossipsubMetrics : IDisposable
{
    private readonly Meter _meter;

    public GossipsubMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(P2pMetrics.MeterName) ?? new Meter(P2pMetrics.MeterName);
        MessagesPublished = _meter.CreateCounter<long>("chhaya.p2p.gossipsub.messages.published", "{message}", "Messages published by this node");
        MessagesReceived = _meter.CreateCounter<long>("chhaya.p2p.gossipsub.messages.received", "{message}", "Messages received, by outcome (accepted, rejected, ignored, duplicate)");
        MessagesDelivered = _meter.CreateCounter<long>("chhaya.p2p.gossipsub.messages.delivered", "{message}", "Messages handed to local subscriptions");
        MessagesForwarded = _meter.CreateCounter<long>("chhaya.p2p.gossipsub.messages.forwarded", "{message}", "Message copies sent to peers");
        RpcsReceived = _meter.CreateCounter<long>("chhaya.p2p.gossipsub.rpcs.received", "{rpc}", "RPCs received");
        RpcsSent = _meter.CreateCounter<long>("chhaya.p2p.gossipsub.rpcs.sent", "{rpc}", "RPCs written to peers");
        RpcsDropped = _meter.CreateCounter<long>("chhaya.p2p.gossipsub.rpcs.dropped", "{rpc}", "RPCs dropped, by reason (graylisted, rate_limited, malformed, queue_full)");
        MeshChanges = _meter.CreateCounter<long>("chhaya.p2p.gossipsub.mesh.changes", "{change}", "Mesh grafts and prunes, by kind");
        Peers = _meter.CreateUpDownCounter<long>("chhaya.p2p.gossipsub.peers", "{peer}", "Pubsub peers attached now");
    }

    public Counter<long> MessagesPublished { get; }

    public Counter<long> MessagesReceived { get; }

    public Counter<long> MessagesDelivered { get; }

    public Counter<long> MessagesForwarded { get; }

    public Counter<long> RpcsReceived { get; }

    public Counter<long> RpcsSent { get; }

    public Counter<long> RpcsDropped { get; }

    public Counter<long> MeshChanges { get; }

    public UpDownCounter<long> Peers { get; }

    public void Dispose() => _meter.Dispose();
}
