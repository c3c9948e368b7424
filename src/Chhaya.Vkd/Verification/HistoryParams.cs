// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Vkd.Verification;

/// <summary>How much history the client asked for (AKD <c>HistoryParams</c>).</summary>
public sealed record HistoryParams
{
    private HistoryParams(int? mostRecent) => MostRecentCount = mostRecent;

    /// <summary>Every version from 1.</summary>
    public static HistoryParams Complete { get; } = new((int?)null);

    /// <summary>Null for a complete history, else the most recent N versions.</summary>
    public int? MostRecentCount { get; }

    /// <summary>At most the <paramref name="count"/> most recent versions.</summary>
    public static HistoryParams MostRecent(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return new HistoryParams(count);
    }

    public override string ToString() => MostRecentCount is { } n ? $"MostRecent({n})" : "Complete";
}
