// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Prekeys;

/// <summary>Replenishment and rotation policy of a <see cref="PrekeyStore"/>.</summary>
public sealed class PrekeyStoreOptions
{
    /// <summary>Below this many unused one-time prekeys of a kind, <see cref="PrekeyStore.Replenish"/> makes more.</summary>
    public int ReplenishThreshold { get; init; } = 8;

    /// <summary>How many unused one-time prekeys of each kind replenishing brings the store back up to.</summary>
    public int TargetOneTimePrekeys { get; init; } = 32;

    /// <summary>Hard cap on unused one-time prekeys held of each kind (memory bound).</summary>
    public int MaxOneTimePrekeys { get; init; } = 256;

    /// <summary>How long a signed prekey (and the last-resort KEM prekey) is current before rotation.</summary>
    public TimeSpan SignedPrekeyLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a rotated-out signed prekey is still accepted for initial messages made from an older bundle
    /// (Signal's spec: keep it "for some period of time" to allow delayed messages), then wiped.
    /// </summary>
    public TimeSpan RetiredPrekeyGrace { get; init; } = TimeSpan.FromDays(14);
}
