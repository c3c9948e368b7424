// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using Chhaya.Witness.Gossip;

namespace Chhaya.Witness.Tests;

/// <summary>
/// A broadcast overlay for followers in one process: what a node publishes is validated and delivered at
/// every other node subscribed to the topic, as one gossipsub hop would. Deliveries run in order on the
/// caller's task, so a test sees every consequence when publish returns.
/// </summary>
internal sealed class InMemoryGossipBus
{
    private readonly List<Member> _members = [];

    public ConcurrentQueue<(string Topic, GossipVerdict Verdict)> Verdicts { get; } = new();

    public IWitnessGossip Join(string name)
    {
        var member = new Member(this, name);
        lock (_members)
        {
            _members.Add(member);
        }

        return member;
    }

    private async Task BroadcastAsync(Member from, string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Member[] others;
        lock (_members)
        {
            others = [.. _members.Where(m => m != from)];
        }

        // As the gossipsub router does: the publisher's own validator must accept what it publishes.
        if (from.Subscriptions.TryGetValue(topic, out var own) && own.Validate(data) is var ownVerdict && ownVerdict != GossipVerdict.Accept)
        {
            throw new InvalidOperationException($"the validator of {topic} returned {ownVerdict} for our own message");
        }

        foreach (var member in others)
        {
            if (!member.Subscriptions.TryGetValue(topic, out var subscription))
            {
                continue;
            }

            var verdict = subscription.Validate(data);
            Verdicts.Enqueue((topic, verdict));
            if (verdict == GossipVerdict.Accept)
            {
                await subscription.Deliver(new GossipDelivery(topic, data, from.Name), cancellationToken);
            }
        }
    }

    private sealed class Member(InMemoryGossipBus bus, string name) : IWitnessGossip
    {
        public string Name => name;

        public ConcurrentDictionary<string, (Func<ReadOnlyMemory<byte>, GossipVerdict> Validate, Func<GossipDelivery, CancellationToken, Task> Deliver)> Subscriptions { get; } = new();

        public void Subscribe(string topic, Func<ReadOnlyMemory<byte>, GossipVerdict> validate, Func<GossipDelivery, CancellationToken, Task> deliver) =>
            Subscriptions[topic] = (validate, deliver);

        public Task PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            bus.BroadcastAsync(this, topic, data.ToArray(), cancellationToken);
    }
}
