// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Witness.Gossip;

namespace Chhaya.Node.P2p;

/// <summary>
/// The overlay when libp2p is switched off (<c>P2p:Enabled=false</c>): subscriptions are kept but nothing
/// arrives and publishing reaches nobody. Heads still come from polling the configured sources.
/// </summary>
public sealed class DetachedGossip : IWitnessGossip
{
    public void Subscribe(string topic, Func<ReadOnlyMemory<byte>, GossipVerdict> validate, Func<GossipDelivery, CancellationToken, Task> deliver)
    {
    }

    public Task PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => Task.CompletedTask;
}
