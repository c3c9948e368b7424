// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Services;

/// <summary>What a publishing directory needs. The directory copies the secrets it is given.</summary>
public sealed record VkdDirectoryOptions(
    VkdConfiguration Configuration,
    Digest DirectoryId,
    IVrfProver VrfProver,
    SecretBytes CommitmentKey,
    SecretBytes SigningSeed)
{
    /// <summary>Most updates accepted in one publish.</summary>
    public int MaxUpdatesPerEpoch { get; init; } = 1 << 20;

    /// <summary>Longest directory label.</summary>
    public int MaxLabelLength { get; init; } = 4096;

    /// <summary>Longest value.</summary>
    public int MaxValueLength { get; init; } = 1 << 16;
}
