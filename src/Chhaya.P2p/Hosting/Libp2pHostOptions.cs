// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Hosting;

/// <summary>Configuration and resource limits of a <see cref="Libp2pHost"/>.</summary>
public sealed class Libp2pHostOptions
{
    /// <summary>The node's identity. The host does not dispose it.</summary>
    public required Ed25519Identity Identity { get; init; }

    /// <summary>Addresses to listen on, e.g. <c>/ip4/127.0.0.1/tcp/0</c> (port 0 picks a free port).</summary>
    public IList<Multiaddr> ListenAddresses { get; init; } = [];

    public string AgentVersion { get; init; } = "chhaya/0.1.0";

    public string ProtocolVersion { get; init; } = "ipfs/0.1.0";

    /// <summary>Time for a new connection to finish multistream, Noise and muxer negotiation.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time for a new stream to finish protocol negotiation.</summary>
    public TimeSpan StreamNegotiationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections in total; further inbound connections are refused at once.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Connections with one peer; a further one is closed after its handshake.</summary>
    public int MaxConnectionsPerPeer { get; init; } = 4;

    /// <summary>Inbound handshakes in progress at once; more are refused (defends against handshake stalls).</summary>
    public int MaxPendingHandshakes { get; init; } = 64;

    /// <summary>When connections exceed this, idle ones (no streams) are closed, oldest first, down to <see cref="LowWater"/>.</summary>
    public int HighWater { get; init; } = 192;

    public int LowWater { get; init; } = 160;

    /// <summary>First back-off after a failed dial to an address; doubles per failure up to <see cref="MaxDialBackoff"/>.</summary>
    public TimeSpan DialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDialBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Idle time after which a ping stream's handler gives up.</summary>
    public TimeSpan PingStreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether to run identify on every new connection.</summary>
    public bool IdentifyOnConnect { get; init; } = true;

    public YamuxOptions Yamux { get; init; } = new();
}
