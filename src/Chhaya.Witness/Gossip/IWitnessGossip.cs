// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Witness.Gossip;

/// <summary>What a topic's validator says about a message before it is forwarded to other peers.</summary>
public enum GossipVerdict
{
    /// <summary>Valid: deliver it here and forward it.</summary>
    Accept,

    /// <summary>Invalid: drop it and count it against the peer that sent it.</summary>
    Reject,

    /// <summary>Not invalid but not wanted (a duplicate, a directory not followed): drop it without penalty.</summary>
    Ignore,
}

/// <summary>A message that passed validation on a topic.</summary>
/// <param name="Topic">The topic it arrived on.</param>
/// <param name="Data">The payload.</param>
/// <param name="From">The peer it came from, for logs and history.</param>
public sealed record GossipDelivery(string Topic, ReadOnlyMemory<byte> Data, string From);

/// <summary>
/// The publish–subscribe overlay as the witness sees it. Validation is cheap and synchronous (decode and
/// verify signatures) so that invalid messages stop at the first hop; delivery does the slow work
/// (fetching proofs, storing) after the message was accepted.
/// </summary>
public interface IWitnessGossip
{
    /// <summary>Joins <paramref name="topic"/>; <paramref name="validate"/> runs on every message before it spreads.</summary>
    void Subscribe(string topic, Func<ReadOnlyMemory<byte>, GossipVerdict> validate, Func<GossipDelivery, CancellationToken, Task> deliver);

    /// <summary>Publishes <paramref name="data"/> on <paramref name="topic"/>.</summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
