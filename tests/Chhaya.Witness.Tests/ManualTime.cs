// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Witness.Tests;

/// <summary>A clock that moves only when the test says so.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
