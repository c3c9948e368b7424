// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.Metrics;

namespace Chhaya.LogStore;

/// <summary>Counters of the history store, under the meter <c>Chhaya.LogStore</c> (OpenTelemetry naming).</summary>
internal static class LogStoreMetrics
{
    public const string MeterName = "Chhaya.LogStore";

    private static readonly Meter Meter = new(MeterName, "1.0");

    /// <summary>Rows appended, tagged with <c>chhaya.table</c>.</summary>
    public static readonly Counter<long> Appends = Meter.CreateCounter<long>("chhaya.logstore.appends", "{row}", "History rows appended.");

    /// <summary>Appends that lost a race for a sequence number to another writer and retried.</summary>
    public static readonly Counter<long> AppendConflicts = Meter.CreateCounter<long>("chhaya.logstore.append_conflicts", "{conflict}", "Appends retried after another writer took the sequence number.");
}
