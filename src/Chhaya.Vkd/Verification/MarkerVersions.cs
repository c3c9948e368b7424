// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;

namespace Chhaya.Vkd.Verification;

/// <summary>
/// AKD's marker versions (<c>akd_core/src/utils.rs</c>, <c>get_marker_versions</c>): the versions a history
/// proof must show present (past markers) and absent (future markers), so a server cannot hide versions
/// before or after the range it returns. Same outputs as AKD for every input with 1 &lt;= start &lt;= end &lt;= epoch.
/// </summary>
public static class MarkerVersions
{
    private static readonly ulong[] SkipList = [1, 1UL << 1, 1UL << 2, 1UL << 4, 1UL << 8, 1UL << 16, 1UL << 32];

    /// <summary>floor(log2(version)); version must be at least 1.</summary>
    public static int Log2(ulong version)
    {
        ArgumentOutOfRangeException.ThrowIfZero(version);
        return 63 - BitOperations.LeadingZeroCount(version);
    }

    /// <summary>The past and future marker versions for a history of versions [start, end] at <paramref name="epoch"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 1 &lt;= start &lt;= end &lt;= epoch.</exception>
    public static (List<ulong> Past, List<ulong> Future) Compute(ulong startVersion, ulong endVersion, ulong epoch)
    {
        if (startVersion == 0 || startVersion > endVersion || endVersion > epoch)
        {
            throw new ArgumentOutOfRangeException(nameof(startVersion), "marker versions need 1 <= start <= end <= epoch");
        }

        var past = new List<ulong>();
        var skipPast = MaxIndexBelowOrEqual(startVersion);
        if (SkipList[skipPast] != startVersion)
        {
            past.Add(SkipList[skipPast]);
        }

        var startPow = 1UL << Log2(startVersion);
        if (startPow != startVersion && (past.Count == 0 || past[^1] != startPow))
        {
            past.Add(startPow);
        }

        var startBits = 64 - BitOperations.LeadingZeroCount(startVersion);
        for (var i = startBits - 1; i >= 0; i--)
        {
            var shift = 1UL << i;
            if ((startVersion & shift) != 0)
            {
                var mask = (shift - 1) | shift;
                var candidate = startVersion & ~mask;
                if (candidate != 0 && (past.Count == 0 || past[^1] != candidate))
                {
                    past.Add(candidate);
                }
            }
        }

        var future = new List<ulong>();
        var endBits = 64 - BitOperations.LeadingZeroCount(endVersion);
        var futureVersion = endVersion;
        for (var i = 0; i < endBits; i++)
        {
            var shift = 1UL << i;
            if ((endVersion & shift) == 0)
            {
                futureVersion |= shift;
                futureVersion &= ~(shift - 1);
                if (futureVersion <= epoch)
                {
                    future.Add(futureVersion);
                }
            }
        }

        var endIndex = MaxIndexBelowOrEqual(endVersion);
        var epochIndex = MaxIndexBelowOrEqual(epoch);
        var sliceStart = endIndex + 1;
        var sliceEnd = epochIndex + 1;
        var nextLog = Log2(endVersion) + 1;
        var finalLog = Log2(epoch);
        for (var i = nextLog; i <= finalLog; i++)
        {
            var value = 1UL << i;
            if (sliceStart < sliceEnd && value >= SkipList[sliceStart])
            {
                break;
            }

            future.Add(value);
        }

        for (var i = sliceStart; i < sliceEnd; i++)
        {
            future.Add(SkipList[i]);
        }

        return (past, future);
    }

    // Largest index whose skip-list entry is <= input (AKD's find_max_index_in_skiplist).
    private static int MaxIndexBelowOrEqual(ulong input)
    {
        var i = 0;
        while (i < SkipList.Length && input >= SkipList[i])
        {
            i++;
        }

        return i - 1;
    }
}
