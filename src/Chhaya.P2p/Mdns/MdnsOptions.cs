// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Mdns;

/// <summary>Settings of <see cref="MdnsDiscovery"/>. mDNS is off unless <see cref="Enabled"/> is set.</summary>
public sealed class MdnsOptions
{
    /// <summary>Whether the service sends or answers anything at all. Off by default.</summary>
    public bool Enabled { get; init; }

    /// <summary>The DNS-SD service name queried and announced.</summary>
    public string ServiceName { get; init; } = MdnsMessages.DefaultServiceName;

    /// <summary>Time between our queries (the first goes out at start).</summary>
    public TimeSpan QueryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Names of the network interfaces to use (e.g. <c>eth0</c>); empty means every interface that is up,
    /// supports multicast, has an IPv4 address and is not a loopback interface.
    /// </summary>
    public IList<string> Interfaces { get; init; } = [];

    /// <summary>The UDP port; 5353 in mDNS (RFC 6762). Other values only make sense in tests.</summary>
    public int Port { get; init; } = 5353;

    /// <summary>Whether loopback addresses (127.0.0.0/8, ::1) are announced. Off: peers on the link cannot use them.</summary>
    public bool AnnounceLoopback { get; init; }

    /// <summary>TTL of our records, in seconds.</summary>
    public uint RecordTtlSeconds { get; init; } = MdnsMessages.DefaultTtlSeconds;

    /// <summary>Inbound packets processed per second; more are dropped unread (defends the decoder and the CPU).</summary>
    public int MaxPacketsPerSecond { get; init; } = 50;

    /// <summary>Most peers remembered; when full, new peers are ignored until old entries expire.</summary>
    public int MaxPeers { get; init; } = 256;
}
