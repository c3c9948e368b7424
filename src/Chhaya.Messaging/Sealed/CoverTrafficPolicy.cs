// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;

namespace Chhaya.Messaging.Sealed;

/// <summary>
/// When and how big to send cover envelopes: a Poisson process at <see cref="EnvelopesPerHour"/> (exponentially
/// distributed gaps, so the timing carries no pattern), with the bucket drawn from a weight per bucket that should
/// mirror the real traffic mix. The sender seals each cover envelope with <see cref="SealedSender.SealCover"/>; on
/// the wire it is indistinguishable from a real one of the same bucket.
/// </summary>
public sealed class CoverTrafficPolicy
{
    private readonly int[] _weights;

    /// <param name="envelopesPerHour">Mean rate; 0 disables cover traffic.</param>
    /// <param name="bucketWeights">One non-negative weight per <see cref="PaddingBuckets.Sizes"/> entry; null favours the small buckets.</param>
    public CoverTrafficPolicy(double envelopesPerHour, IReadOnlyList<int>? bucketWeights = null)
    {
        if (double.IsNaN(envelopesPerHour) || envelopesPerHour < 0 || envelopesPerHour > 3600 * 100)
        {
            throw new ArgumentOutOfRangeException(nameof(envelopesPerHour), envelopesPerHour, "must lie between 0 and 360000");
        }

        _weights = (bucketWeights ?? [60, 25, 10, 4, 1]).ToArray();
        if (_weights.Length != PaddingBuckets.Sizes.Count || _weights.Any(w => w < 0) || _weights.Sum() <= 0)
        {
            throw new ArgumentException("One non-negative weight per bucket, not all zero.", nameof(bucketWeights));
        }

        EnvelopesPerHour = envelopesPerHour;
    }

    /// <summary>Mean cover envelopes per hour.</summary>
    public double EnvelopesPerHour { get; }

    /// <summary>The wait before the next cover envelope, or null when cover traffic is off.</summary>
    public TimeSpan? NextDelay()
    {
        if (EnvelopesPerHour == 0)
        {
            return null;
        }

        // Inverse-CDF sampling of Exp(rate); u in (0, 1].
        var u = (RandomNumberGenerator.GetInt32(1, int.MaxValue) + 1.0) / int.MaxValue;
        return TimeSpan.FromHours(-Math.Log(u) / EnvelopesPerHour);
    }

    /// <summary>A bucket size drawn from the weights.</summary>
    public int PickBucket()
    {
        var roll = RandomNumberGenerator.GetInt32(0, _weights.Sum());
        for (var i = 0; i < _weights.Length; i++)
        {
            roll -= _weights[i];
            if (roll < 0)
            {
                return PaddingBuckets.Sizes[i];
            }
        }

        return PaddingBuckets.Sizes[^1];
    }
}
