// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Pubsub;

/// <summary>
/// One pubsub RPC (pubsub/README.md "The RPC", gossipsub-v1.0 "Control messages", v1.1 PX, v1.2 IDONTWANT):
/// <c>subscriptions = 1</c>, <c>publish = 2</c>, <c>control = 3</c>.
/// </summary>
public sealed class PubsubRpc
{
    public List<SubscriptionChange> Subscriptions { get; init; } = [];

    public List<PubsubMessage> Publish { get; init; } = [];

    public ControlMessage? Control { get; set; }

    /// <summary>True when the RPC carries nothing (an empty RPC is valid and ignored).</summary>
    public bool IsEmpty => Subscriptions.Count == 0 && Publish.Count == 0 && (Control is null || Control.IsEmpty);
}

/// <summary><c>SubOpts</c>: <c>subscribe = 1</c> (bool), <c>topicid = 2</c> (string).</summary>
public sealed record SubscriptionChange(bool Subscribe, string Topic);

/// <summary>
/// A pubsub <c>Message</c>: <c>from = 1</c> (peer id bytes), <c>data = 2</c>, <c>seqno = 3</c>, <c>topic = 4</c>,
/// <c>signature = 5</c>, <c>key = 6</c>. Which of the optional fields are present depends on the topic's
/// signature policy.
/// </summary>
public sealed class PubsubMessage
{
    public byte[]? From { get; init; }

    public byte[]? Data { get; init; }

    public byte[]? Seqno { get; init; }

    public required string Topic { get; init; }

    public byte[]? Signature { get; set; }

    public byte[]? Key { get; set; }

    /// <summary>Bytes this message takes on the wire (for size-based decisions such as IDONTWANT).</summary>
    public int WireSize => RpcCodec.MessageSize(this);
}

/// <summary><c>ControlMessage</c>: <c>ihave = 1</c>, <c>iwant = 2</c>, <c>graft = 3</c>, <c>prune = 4</c>, <c>idontwant = 5</c>.</summary>
public sealed class ControlMessage
{
    public List<ControlIHave> IHave { get; init; } = [];

    public List<ControlIWant> IWant { get; init; } = [];

    public List<ControlGraft> Graft { get; init; } = [];

    public List<ControlPrune> Prune { get; init; } = [];

    public List<ControlIDontWant> IDontWant { get; init; } = [];

    public bool IsEmpty => IHave.Count == 0 && IWant.Count == 0 && Graft.Count == 0 && Prune.Count == 0 && IDontWant.Count == 0;
}

/// <summary><c>ControlIHave</c>: <c>topicID = 1</c>, <c>messageIDs = 2</c> (repeated bytes).</summary>
public sealed record ControlIHave(string Topic, List<byte[]> MessageIds);

/// <summary><c>ControlIWant</c>: <c>messageIDs = 1</c>.</summary>
public sealed record ControlIWant(List<byte[]> MessageIds);

/// <summary><c>ControlGraft</c>: <c>topicID = 1</c>.</summary>
public sealed record ControlGraft(string Topic);

/// <summary><c>ControlPrune</c>: <c>topicID = 1</c>, <c>peers = 2</c> (PX, v1.1), <c>backoff = 3</c> (seconds, v1.1).</summary>
public sealed record ControlPrune(string Topic, List<PeerExchangeInfo> Peers, ulong? BackoffSeconds);

/// <summary><c>PeerInfo</c>: <c>peerID = 1</c>, <c>signedPeerRecord = 2</c>.</summary>
public sealed record PeerExchangeInfo(byte[]? PeerId, byte[]? SignedPeerRecord);

/// <summary><c>ControlIDontWant</c> (v1.2): <c>messageIDs = 1</c>.</summary>
public sealed record ControlIDontWant(List<byte[]> MessageIds);
