// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Kad;

/// <summary>
/// Bounds on DHT messages, checked while decoding before anything is allocated from a peer's numbers. Each one
/// caps what a single message can make us hold in memory or process.
/// </summary>
public sealed record KadLimits
{
    /// <summary>Largest length-prefixed message read from a stream (go-libp2p allows 4 MiB; prekey bundles fit in far less).</summary>
    public int MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>Largest record or provider key.</summary>
    public int MaxKeySize { get; init; } = 1024;

    /// <summary>Largest record value.</summary>
    public int MaxValueSize { get; init; } = 64 * 1024;

    /// <summary>Most <c>closerPeers</c> or <c>providerPeers</c> entries in one message; more is malformed.</summary>
    public int MaxPeersPerMessage { get; init; } = 64;

    /// <summary>Addresses kept per peer entry; further ones are ignored (not allocated).</summary>
    public int MaxAddressesPerPeer { get; init; } = 16;

    /// <summary>Longest <c>timeReceived</c> string.</summary>
    public int MaxTimeReceivedLength { get; init; } = 64;

    public static KadLimits Default { get; } = new();
}
