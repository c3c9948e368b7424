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

    /// <summary>Gossipsub heartbeat interval in milliseconds (default 1000, as the specification suggests).</summary>
    public int GossipHeartbeatMilliseconds { get; set; } = 1000;
}
