// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Node.P2p;

/// <summary>The <c>P2p</c> configuration section.</summary>
public sealed class P2pOptions
{
    public const string SectionName = "P2p";

    /// <summary>The address the node listens on when none is configured.</summary>
    public const string DefaultListen = "/ip4/0.0.0.0/tcp/4001";

    /// <summary>Whether the node runs libp2p at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Multiaddrs to listen on (<c>--p2p-listen</c>); empty means <see cref="DefaultListen"/>.</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>
    /// Peers (multiaddrs with <c>/p2p/ID</c>) the node connects to at start and reconnects to when the
    /// connection drops. The node has no built-in list: with none configured it dials nobody by itself.
    /// </summary>
    public List<string> Bootstrap { get; set; } = [];

    /// <summary>Local-network discovery (<c>P2p:Mdns:Enabled</c>, default on; env <c>CHHAYA__P2P__MDNS__ENABLED=false</c>).</summary>
    public MdnsSettings Mdns { get; set; } = new();

    /// <summary>The Kademlia DHT.</summary>
    public DhtSettings Dht { get; set; } = new();

    /// <summary>
    /// Refuse to dial, and to pass on, addresses beyond loopback. Tests and <c>chhaya devnet</c> set it, so
    /// nothing they start reaches another machine whatever peers advertise.
    /// </summary>
    public bool LoopbackOnly { get; set; }

    /// <summary>Gossipsub heartbeat interval in milliseconds (default 1000, as the specification suggests).</summary>
    public int GossipHeartbeatMilliseconds { get; set; } = 1000;
}

/// <summary>The <c>P2p:Mdns</c> section.</summary>
public sealed class MdnsSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between mDNS queries.</summary>
    public double QueryIntervalSeconds { get; set; } = 10;
}

/// <summary>The <c>P2p:Dht</c> section.</summary>
public sealed class DhtSettings
{
    /// <summary><c>server</c> (answer queries; for reachable nodes, the default) or <c>client</c> (only ask).</summary>
    public string Mode { get; set; } = "server";
}
