// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Messaging.Transport;

/// <summary>Retry policy and bounds of the <see cref="Outbox"/>.</summary>
public sealed class OutboxOptions
{
    /// <summary>Wait before the first retry; doubles with each failure.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an envelope is tried before it is given up.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Most envelopes waiting in total (memory bound); further ones are refused.</summary>
    public int MaxQueued { get; init; } = 10_000;
}
