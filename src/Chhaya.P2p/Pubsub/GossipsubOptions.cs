// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Pubsub;

/// <summary>
/// Parameters of a <see cref="GossipsubRouter"/>. Defaults follow gossipsub v1.0 "Parameters" and v1.1
/// "Overview of New Parameters"; the mesh degrees must satisfy <c>D_out &lt; D_low &lt;= D &lt;= D_high</c>
/// and <c>D_out &lt;= D / 2</c>, <c>D_score &lt;= D</c>.
/// </summary>
public sealed class GossipsubOptions
{
    /// <summary>Desired mesh degree per topic.</summary>
    public int D { get; init; } = 6;

    /// <summary>Below this many mesh peers the heartbeat grafts more.</summary>
    public int DLow { get; init; } = 5;

    /// <summary>Above this many mesh peers the heartbeat prunes down to <see cref="D"/>.</summary>
    public int DHigh { get; init; } = 12;

    /// <summary>Peers kept by score when pruning an oversubscribed mesh.</summary>
    public int DScore { get; init; } = 4;

    /// <summary>Outbound-connection peers the mesh keeps at least (defends against inbound-only eclipses).</summary>
    public int DOut { get; init; } = 2;

    /// <summary>Minimum number of peers gossip (IHAVE) is emitted to per topic and heartbeat.</summary>
    public int DLazy { get; init; } = 6;

    /// <summary>Share of the eligible non-mesh peers gossip goes to, when more than <see cref="DLazy"/>.</summary>
    public double GossipFactor { get; init; } = 0.25;

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay before the first heartbeat.</summary>
    public TimeSpan HeartbeatInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A fanout topic with no publish for this long is forgotten.</summary>
    public TimeSpan FanoutTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Heartbeats a message stays in the message cache (answerable to IWANT).</summary>
    public int HistoryLength { get; init; } = 5;

    /// <summary>Most recent heartbeats whose message ids are gossiped in IHAVE.</summary>
    public int HistoryGossip { get; init; } = 3;

    /// <summary>How long a message id stays in the seen cache (duplicates inside it are dropped).</summary>
    public TimeSpan SeenTtl { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Upper bound on seen-cache entries; the oldest go first when it is full.</summary>
    public int MaxSeenEntries { get; init; } = 100_000;

    /// <summary>Back-off after a PRUNE during which the peer may not be re-grafted (sent in PRUNE, v1.1).</summary>
    public TimeSpan PruneBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Back-off sent in the PRUNEs that leaving a topic sends.</summary>
    public TimeSpan UnsubscribeBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A GRAFT this soon after the back-off began counts double in the behaviour penalty.</summary>
    public TimeSpan GraftFloodThreshold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Peers offered in a PRUNE's peer exchange.</summary>
    public int PrunePeers { get; init; } = 16;

    /// <summary>Whether our own messages go to every topic peer above the publish threshold (v1.1 flood publishing).</summary>
    public bool FloodPublish { get; init; } = true;

    /// <summary>Time a peer has to deliver a message it advertised in IHAVE after our IWANT; else a behaviour penalty.</summary>
    public TimeSpan IWantFollowupTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>IHAVE messages accepted from one peer per heartbeat.</summary>
    public int MaxIHaveMessages { get; init; } = 10;

    /// <summary>Message ids we ask one peer for (IWANT) per heartbeat.</summary>
    public int MaxIHaveLength { get; init; } = 5000;

    /// <summary>Times one message is sent to one peer in answer to IWANT.</summary>
    public int GossipRetransmission { get; init; } = 3;

    /// <summary>Heartbeats between opportunistic-grafting rounds.</summary>
    public int OpportunisticGraftTicks { get; init; } = 60;

    /// <summary>Peers grafted in one opportunistic-grafting round.</summary>
    public int OpportunisticGraftPeers { get; init; } = 2;

    /// <summary>Messages at least this large (encoded) make us send IDONTWANT to our mesh (v1.2).</summary>
    public int IDontWantMessageThreshold { get; init; } = 1024;

    /// <summary>IDONTWANT message ids accepted from one peer per heartbeat (v1.2 <c>max_idontwant_messages</c>).</summary>
    public int MaxIDontWantMessages { get; init; } = 1000;

    /// <summary>Heartbeats an IDONTWANT entry is kept.</summary>
    public int IDontWantTtlHeartbeats { get; init; } = 3;

    /// <summary>Largest message data accepted or published.</summary>
    public int MaxMessageSize { get; init; } = 1 << 20;

    /// <summary>Topics one peer may be recorded as subscribed to; further subscriptions are ignored.</summary>
    public int MaxTopicsPerPeer { get; init; } = 1024;

    /// <summary>Limits applied to every inbound RPC.</summary>
    public RpcLimits RpcLimits { get; init; } = RpcLimits.Default;

    /// <summary>Sustained inbound RPCs per second accepted from one peer (token bucket); excess RPCs are dropped.</summary>
    public double MaxInboundRpcsPerSecond { get; init; } = 200;

    /// <summary>Burst size of the inbound RPC token bucket.</summary>
    public int InboundRpcBurst { get; init; } = 400;

    /// <summary>RPCs queued for one peer; when full, further RPCs to that peer are dropped (a slow reader cannot grow our memory).</summary>
    public int MaxOutboundQueue { get; init; } = 1024;

    /// <summary>Messages waiting for or in application validation at once; more are ignored.</summary>
    public int MaxPendingValidations { get; init; } = 1024;

    /// <summary>Validations running at once.</summary>
    public int ValidationConcurrency { get; init; } = 16;

    /// <summary>Time a validator has; a validation that takes longer counts as Ignore.</summary>
    public TimeSpan ValidationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages buffered per subscription; when the reader falls behind, newer messages are dropped.</summary>
    public int SubscriptionBuffer { get; init; } = 1024;

    /// <summary>Time to negotiate our outbound pubsub stream on a new connection.</summary>
    public TimeSpan StreamOpenTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Signature policy of topics without an entry in <see cref="TopicSignaturePolicies"/>.</summary>
    public SignaturePolicy DefaultSignaturePolicy { get; init; } = SignaturePolicy.StrictSign;

    /// <summary>Per-topic signature policy.</summary>
    public IDictionary<string, SignaturePolicy> TopicSignaturePolicies { get; init; } = new Dictionary<string, SignaturePolicy>(StringComparer.Ordinal);

    /// <summary>
    /// Per-topic message id function. Without one, StrictSign topics use <c>from || seqno</c> and StrictNoSign
    /// topics a SHA-256 of topic and data. Every peer of a topic must use the same function.
    /// </summary>
    public IDictionary<string, Func<PubsubMessage, byte[]>> MessageIdFunctions { get; init; } = new Dictionary<string, Func<PubsubMessage, byte[]>>(StringComparer.Ordinal);

    /// <summary>Peer scoring parameters (v1.1).</summary>
    public PeerScoreParams Score { get; init; } = new();

    /// <summary>Score thresholds (v1.1 "Score Thresholds").</summary>
    public PeerScoreThresholds Thresholds { get; init; } = new();

    /// <summary>Checks the relations between parameters.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public void Validate()
    {
        if (!(DOut < DLow && DLow <= D && D <= DHigh && DOut <= D / 2 && DScore <= D && DLazy >= 0))
        {
            throw new ArgumentException("gossipsub degrees must satisfy D_out < D_low <= D <= D_high, D_out <= D/2, D_score <= D");
        }

        if (HistoryGossip > HistoryLength || HistoryGossip < 1)
        {
            throw new ArgumentException("HistoryGossip must be between 1 and HistoryLength");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || MaxOutboundQueue < 1 || ValidationConcurrency < 1 || MaxPendingValidations < 1 || SubscriptionBuffer < 1)
        {
            throw new ArgumentException("intervals, queues and concurrency must be positive");
        }

        Thresholds.Validate();
        Score.Validate();
    }
}
