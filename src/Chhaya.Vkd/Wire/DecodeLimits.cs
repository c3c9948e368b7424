// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Vkd.Wire;

/// <summary>Bounds the decoders apply before allocating. The defaults fit every honest AKD proof.</summary>
public sealed record DecodeLimits
{
    /// <summary>Defaults.</summary>
    public static DecodeLimits Default { get; } = new();

    /// <summary>Largest directory value (AKD <c>AkdValue</c>) in a proof.</summary>
    public int MaxValueLength { get; init; } = 1 << 20;

    /// <summary>A Merkle path has at most one sibling per bit of the label.</summary>
    public int MaxSiblingProofs { get; init; } = 256;

    /// <summary>Versions in one history proof.</summary>
    public int MaxUpdateProofs { get; init; } = 1 << 16;

    /// <summary>Past or future marker proofs in one history proof (at most ~64 + 7 for 64-bit versions).</summary>
    public int MaxMarkerProofs { get; init; } = 256;

    /// <summary>Elements in one decoded (in-memory) append-only proof; larger proofs go through the streaming verifier.</summary>
    public int MaxAuditElements { get; init; } = 1 << 24;

    /// <summary>Steps in one multi-epoch append-only proof.</summary>
    public int MaxAuditSteps { get; init; } = 1 << 16;
}
