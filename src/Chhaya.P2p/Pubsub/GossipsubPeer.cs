// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Threading.Channels;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Pubsub;

/// <summary>Router state for one attached peer. Fields other than the queue are guarded by the router's lock.</summary>
internal sealed class GossipsubPeer
{
    public GossipsubPeer(Libp2pConnection connection, string protocol, YamuxStream stream, int queueCapacity, int burst, DateTimeOffset now)
    {
        Connection = connection;
        Protocol = protocol;
        Stream = stream;
        Outbound = Channel.CreateBounded<PubsubRpc>(new BoundedChannelOptions(queueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        Tokens = burst;
        LastRefill = now;
    }

    public PeerId Id => Connection.RemotePeer;

    public Libp2pConnection Connection { get; }

    public string Protocol { get; }

    public YamuxStream Stream { get; }

    public Channel<PubsubRpc> Outbound { get; }

    public bool IsFloodsub => Protocol == GossipsubRouter.FloodsubProtocol;

    /// <summary>v1.1 and later understand PRUNE back-off and peer exchange.</summary>
    public bool SupportsPeerExchange => Protocol is GossipsubRouter.Protocol11 or GossipsubRouter.Protocol12;

    public bool SupportsIDontWant => Protocol == GossipsubRouter.Protocol12;

    public bool IsOutbound => Connection.Direction == ConnectionDirection.Outbound;

    public bool Removed { get; set; }

    public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);

    public int IHaveCount { get; set; }

    public int IAsked { get; set; }

    public int IDontWantCount { get; set; }

    /// <summary>Message ids the peer said it does not want, with the heartbeat after which the entry expires.</summary>
    public Dictionary<MessageId, long> DontSend { get; } = [];

    public CancellationTokenSource? Inbound { get; set; }

    public double Tokens { get; set; }

    public DateTimeOffset LastRefill { get; set; }
}
