// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Relay;

/// <summary>Resource limits of the relay (hop) service.</summary>
public sealed class RelayServerOptions
{
    /// <summary>Reservations held at once.</summary>
    public int MaxReservations { get; init; } = 128;

    /// <summary>Reservations held at once by peers connecting from one IP address.</summary>
    public int MaxReservationsPerIp { get; init; } = 8;

    /// <summary>Lifetime of a reservation; the client refreshes before it ends.</summary>
    public TimeSpan ReservationTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Relayed connections at once.</summary>
    public int MaxCircuits { get; init; } = 16;

    /// <summary>Relayed connections at once that one peer takes part in (as initiator or target).</summary>
    public int MaxCircuitsPerPeer { get; init; } = 4;

    /// <summary>Longest life of a relayed connection (sent as the limit's duration, in whole seconds; 0 = none).</summary>
    public TimeSpan CircuitDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Bytes relayed per direction per connection (sent as the limit's data; 0 = none).</summary>
    public ulong CircuitDataLimit { get; init; } = 1 << 17;

    /// <summary>Hop requests one peer may make per <see cref="RateWindow"/>.</summary>
    public int MaxRequestsPerPeer { get; init; } = 20;

    /// <summary>Hop requests from everyone per <see cref="RateWindow"/>.</summary>
    public int MaxRequestsGlobal { get; init; } = 600;

    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Time for a peer to send its hop request, and for the target to answer the stop request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Settings of the relay client (reservations, dialing through relays and the stop handler).</summary>
public sealed class RelayClientOptions
{
    /// <summary>Relayed inbound connections at once; further stop requests are refused.</summary>
    public int MaxInboundCircuits { get; init; } = 16;

    /// <summary>Accept stop requests only from relays we hold a reservation with (no unsolicited circuits).</summary>
    public bool AcceptOnlyReservedRelays { get; init; } = true;

    /// <summary>Stop requests one relay may make per <see cref="RateWindow"/>.</summary>
    public int MaxStopRequestsPerRelay { get; init; } = 30;

    /// <summary>Stop requests from all relays per <see cref="RateWindow"/>.</summary>
    public int MaxStopRequestsGlobal { get; init; } = 120;

    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Time for a hop or stop exchange.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
