// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;

namespace Chhaya.P2p.Pubsub;

/// <summary>
/// Global peer-score parameters (gossipsub v1.1 "The Score Function"): P5 application score, P6 IP colocation,
/// P7 behaviour penalty, decay, retention, and the per-topic parameters.
/// </summary>
public sealed class PeerScoreParams
{
    /// <summary>Per-topic parameters; topics without an entry use <see cref="DefaultTopic"/> (null: not scored).</summary>
    public IDictionary<string, TopicScoreParams> Topics { get; init; } = new Dictionary<string, TopicScoreParams>(StringComparer.Ordinal);

    public TopicScoreParams? DefaultTopic { get; init; } = new();

    /// <summary>Cap on the summed topic contributions (0: no cap).</summary>
    public double TopicScoreCap { get; init; } = 100;

    /// <summary>P5: the application's own score of a peer.</summary>
    public Func<Chhaya.P2p.Identity.PeerId, double>? AppSpecificScore { get; init; }

    public double AppSpecificWeight { get; init; } = 1;

    /// <summary>P6 weight (negative): applied to the square of the number of peers over the threshold on one IP.</summary>
    public double IPColocationFactorWeight { get; init; } = -10;

    public int IPColocationFactorThreshold { get; init; } = 3;

    /// <summary>Networks exempt from P6. Loopback is exempt by default: no remote attacker holds those addresses.</summary>
    public IList<IPNetwork> IPColocationFactorWhitelist { get; init; } = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>P7 weight (negative), applied to the square of the counter above <see cref="BehaviourPenaltyThreshold"/>.</summary>
    public double BehaviourPenaltyWeight { get; init; } = -10;

    public double BehaviourPenaltyThreshold { get; init; } = 2;

    public double BehaviourPenaltyDecay { get; init; } = 0.99;

    /// <summary>How often the counters decay.</summary>
    public TimeSpan DecayInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Counters below this are reset to zero when decaying.</summary>
    public double DecayToZero { get; init; } = 0.01;

    /// <summary>How long a disconnected peer's score is kept, so reconnecting does not wash a bad score away.</summary>
    public TimeSpan RetainScore { get; init; } = TimeSpan.FromMinutes(10);

    internal TopicScoreParams? For(string topic) => Topics.TryGetValue(topic, out var p) ? p : DefaultTopic;

    internal void Validate()
    {
        if (IPColocationFactorWeight > 0 || BehaviourPenaltyWeight > 0 || BehaviourPenaltyDecay is <= 0 or >= 1 || DecayInterval <= TimeSpan.Zero || TopicScoreCap < 0)
        {
            throw new ArgumentException("P6/P7 weights must be non-positive, decays in (0, 1), the decay interval positive");
        }

        foreach (var t in Topics.Values.Append(DefaultTopic).OfType<TopicScoreParams>())
        {
            t.Validate();
        }
    }
}

/// <summary>Per-topic score parameters P1–P4 (gossipsub v1.1 "Topic Parameter Calculation and Decay").</summary>
public sealed class TopicScoreParams
{
    public double TopicWeight { get; init; } = 1;

    /// <summary>P1: time in mesh, counted in quanta and capped.</summary>
    public double TimeInMeshWeight { get; init; } = 0.01;

    public TimeSpan TimeInMeshQuantum { get; init; } = TimeSpan.FromSeconds(1);

    public double TimeInMeshCap { get; init; } = 3600;

    /// <summary>P2: first deliveries of valid messages.</summary>
    public double FirstMessageDeliveriesWeight { get; init; } = 1;

    public double FirstMessageDeliveriesDecay { get; init; } = 0.5;

    public double FirstMessageDeliveriesCap { get; init; } = 20;

    /// <summary>P3: mesh delivery deficit, squared (weight negative; 0 disables it, the default, as the expected rate is application knowledge).</summary>
    public double MeshMessageDeliveriesWeight { get; init; }

    public double MeshMessageDeliveriesDecay { get; init; } = 0.5;

    public double MeshMessageDeliveriesCap { get; init; } = 20;

    public double MeshMessageDeliveriesThreshold { get; init; } = 1;

    /// <summary>A duplicate arriving this soon after the first copy still counts as a mesh delivery.</summary>
    public TimeSpan MeshMessageDeliveriesWindow { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Time in mesh before P3 applies.</summary>
    public TimeSpan MeshMessageDeliveriesActivation { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>P3b: sticky mesh failure penalty (weight negative).</summary>
    public double MeshFailurePenaltyWeight { get; init; }

    public double MeshFailurePenaltyDecay { get; init; } = 0.5;

    /// <summary>P4: invalid messages, squared (weight negative).</summary>
    public double InvalidMessageDeliveriesWeight { get; init; } = -10;

    public double InvalidMessageDeliveriesDecay { get; init; } = 0.99;

    internal void Validate()
    {
        if (TopicWeight < 0 || TimeInMeshWeight < 0 || FirstMessageDeliveriesWeight < 0 || MeshMessageDeliveriesWeight > 0 || MeshFailurePenaltyWeight > 0 || InvalidMessageDeliveriesWeight > 0)
        {
            throw new ArgumentException("P1, P2 and topic weights must be non-negative; P3, P3b and P4 weights non-positive");
        }

        if (TimeInMeshQuantum <= TimeSpan.Zero)
        {
            throw new ArgumentException("TimeInMeshQuantum must be positive");
        }

        foreach (var d in new[] { FirstMessageDeliveriesDecay, MeshMessageDeliveriesDecay, MeshFailurePenaltyDecay, InvalidMessageDeliveriesDecay })
        {
            if (d is <= 0 or >= 1)
            {
                throw new ArgumentException("decay factors must be in (0, 1)");
            }
        }
    }
}

/// <summary>Score thresholds (gossipsub v1.1 "Score Thresholds").</summary>
public sealed class PeerScoreThresholds
{
    /// <summary>Below it no gossip goes to the peer and its gossip is ignored.</summary>
    public double GossipThreshold { get; init; } = -10;

    /// <summary>Below it our own messages are not flood-published to the peer.</summary>
    public double PublishThreshold { get; init; } = -50;

    /// <summary>Below it every RPC from the peer is ignored.</summary>
    public double GraylistThreshold { get; init; } = -80;

    /// <summary>Peer exchange in a PRUNE is used only from peers scoring at least this.</summary>
    public double AcceptPXThreshold { get; init; } = 10;

    /// <summary>When the mesh's median score is below this, better peers are grafted opportunistically.</summary>
    public double OpportunisticGraftThreshold { get; init; } = 1;

    internal void Validate()
    {
        if (!(GossipThreshold <= 0 && PublishThreshold <= GossipThreshold && GraylistThreshold < PublishThreshold && AcceptPXThreshold >= 0 && OpportunisticGraftThreshold >= 0))
        {
            throw new ArgumentException("thresholds must satisfy graylist < publish <= gossip <= 0 <= acceptPX, opportunisticGraft >= 0");
        }
    }
}
