// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Relay;

/// <summary>Settings of <see cref="DcutrService"/>.</summary>
public sealed class DcutrOptions
{
    /// <summary>Hole-punch rounds the inbound side runs before giving up (the spec: 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Addresses of the peer dialed per round; the rest are ignored.</summary>
    public int MaxDialAddresses { get; init; } = 4;

    /// <summary>Time for one direct dial.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time to wait for the peer's next message.</summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the relayed connection stays open after a direct one exists (the spec's grace period).</summary>
    public TimeSpan RelayedGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>DCUtR streams one peer may open per <see cref="RateWindow"/>.</summary>
    public int MaxRequestsPerPeer { get; init; } = 3;

    /// <summary>DCUtR streams from everyone per <see cref="RateWindow"/>.</summary>
    public int MaxRequestsGlobal { get; init; } = 60;

    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);
}
