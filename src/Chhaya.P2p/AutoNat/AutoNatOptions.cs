// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.AutoNat;

/// <summary>Limits of the AutoNAT v1 server (the side that dials back).</summary>
public sealed class AutoNatServerOptions
{
    /// <summary>Requests one peer may make per <see cref="RateWindow"/>.</summary>
    public int MaxRequestsPerPeer { get; init; } = 3;

    /// <summary>Requests from everyone per <see cref="RateWindow"/>.</summary>
    public int MaxRequestsGlobal { get; init; } = 30;

    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Dial-back jobs running at once; further requests are refused.</summary>
    public int MaxConcurrentDialBacks { get; init; } = 8;

    /// <summary>Addresses dialed per request (after filtering by the observed IP); the rest are ignored.</summary>
    public int MaxDialAddresses { get; init; } = 4;

    /// <summary>Time for one dial-back attempt.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time for the requester to send its DIAL message.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Settings of the AutoNAT v1 client.</summary>
public sealed class AutoNatClientOptions
{
    /// <summary>Agreeing results needed to leave <see cref="NatStatus.Unknown"/> (the spec suggests more than 3).</summary>
    public int Threshold { get; init; } = 4;

    /// <summary>Cap of the confidence counter: contrary results needed to flip a settled status, plus one.</summary>
    public int MaxConfidence { get; init; } = 3;

    /// <summary>Time for one probe (stream, request, the server's dial-back and its answer).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time between probing rounds of <see cref="AutoNatService"/>.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Servers asked per round.</summary>
    public int ServersPerRound { get; init; } = 4;
}
