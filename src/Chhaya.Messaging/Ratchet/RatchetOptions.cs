// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Ratchet;

/// <summary>Bounds on skipped message keys (Signal's spec §3.5 MAX_SKIP and §6.3 on deleting skipped keys).</summary>
public sealed class RatchetOptions
{
    /// <summary>Most message keys one received message may make the receiver skip in one chain.</summary>
    public int MaxSkip { get; init; } = 1000;

    /// <summary>Most skipped keys kept in total; the oldest are wiped first when over.</summary>
    public int MaxSkippedKeys { get; init; } = 2000;

    /// <summary>How long a skipped key is kept; after that the late message can no longer be read.</summary>
    public TimeSpan SkippedKeyLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The defaults.</summary>
    public static RatchetOptions Default { get; } = new();
}
