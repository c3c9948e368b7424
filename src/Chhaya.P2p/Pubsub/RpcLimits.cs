// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Pubsub;

/// <summary>
/// Bounds the RPC decoder enforces before it allocates. Each bound caps the memory and CPU one RPC from an
/// adversarial peer can cost; an RPC over any of them is rejected whole.
/// </summary>
public sealed record RpcLimits
{
    /// <summary>Largest RPC frame (the length prefix is checked before the body is read).</summary>
    public int MaxRpcSize { get; init; } = 1 << 20;

    /// <summary>Subscription changes in one RPC.</summary>
    public int MaxSubscriptions { get; init; } = 1024;

    /// <summary>Published messages in one RPC.</summary>
    public int MaxMessages { get; init; } = 256;

    /// <summary>Topic names in bytes of UTF-8.</summary>
    public int MaxTopicLength { get; init; } = 256;

    /// <summary>Message ids in one RPC over all IHAVE, IWANT and IDONTWANT entries together.</summary>
    public int MaxControlIds { get; init; } = 5000;

    /// <summary>One message id in bytes.</summary>
    public int MaxMessageIdLength { get; init; } = 256;

    /// <summary>Control entries (IHAVE + IWANT + GRAFT + PRUNE + IDONTWANT) in one RPC.</summary>
    public int MaxControlEntries { get; init; } = 1024;

    /// <summary>Peer-exchange records in one RPC over all PRUNEs.</summary>
    public int MaxPeerExchange { get; init; } = 256;

    /// <summary>A signed peer record in a PX entry.</summary>
    public int MaxSignedPeerRecordLength { get; init; } = 4096;

    public static RpcLimits Default { get; } = new();
}
