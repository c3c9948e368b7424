// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Witness.Following;

/// <summary>
/// Tells a quiet directory from a stalled one. Directories publish an epoch every interval even with no
/// updates, so no new epoch within <c>multiple × interval</c> means the directory (or this node's view of
/// it) has stopped. One alert per stall; a new epoch ends the stall.
/// </summary>
public sealed class StallDetector
{
    private readonly TimeSpan _limit;
    private readonly Lock _lock = new();
    private ulong? _latestEpoch;
    private DateTimeOffset _latestAt;
    private bool _alerted;

    public StallDetector(TimeSpan epochInterval, double multiple, DateTimeOffset startedAt)
    {
        if (epochInterval <= TimeSpan.Zero || multiple < 1 || double.IsNaN(multiple))
        {
            throw new ArgumentOutOfRangeException(nameof(epochInterval), "The epoch interval must be positive and the stall multiple at least 1.");
        }

        _limit = epochInterval * multiple;
        _latestAt = startedAt;
    }

    /// <summary>How long without a new epoch counts as a stall.</summary>
    public TimeSpan Limit => _limit;

    /// <summary>The newest epoch seen, if any.</summary>
    public ulong? LatestEpoch
    {
        get
        {
            lock (_lock)
            {
                return _latestEpoch;
            }
        }
    }

    /// <summary>Records a valid head; only an epoch newer than every one seen counts as progress.</summary>
    public void Observe(ulong epoch, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_latestEpoch is null || epoch > _latestEpoch.Value)
            {
                _latestEpoch = epoch;
                _latestAt = at;
                _alerted = false;
            }
        }
    }

    /// <summary>Returns how long the directory has been silent when a new stall begins; null otherwise.</summary>
    public TimeSpan? Check(DateTimeOffset now)
    {
        lock (_lock)
        {
            var silent = now - _latestAt;
            if (_alerted || silent < _limit)
            {
                return null;
            }

            _alerted = true;
            return silent;
        }
    }
}
