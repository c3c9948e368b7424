// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.Metrics;

namespace Chhaya.P2p.Kad;

/// <summary>Instruments of the Kademlia DHT on the meter <c>Chhaya.P2p.Kad</c>.</summary>
public sealed class KadMetrics : IDisposable
{
    public const string MeterName = "Chhaya.P2p.Kad";

    private readonly Meter _meter;

    public KadMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        InboundRequests = _meter.CreateCounter<long>("chhaya.kad.inbound.requests", "{request}", "DHT requests answered, by type");
        InboundRefused = _meter.CreateCounter<long>("chhaya.kad.inbound.refused", "{request}", "DHT requests refused, by reason");
        OutboundRequests = _meter.CreateCounter<long>("chhaya.kad.outbound.requests", "{request}", "DHT requests sent, by type and outcome");
        Lookups = _meter.CreateCounter<long>("chhaya.kad.lookups", "{lookup}", "Iterative lookups, by type");
        LookupDuration = _meter.CreateHistogram<double>("chhaya.kad.lookup.duration", "s", "Duration of iterative lookups");
        RecordsStored = _meter.CreateCounter<long>("chhaya.kad.records.stored", "{record}", "Records accepted into the local store");
        RecordsRejected = _meter.CreateCounter<long>("chhaya.kad.records.rejected", "{record}", "Records refused by validation");
    }

    public Counter<long> InboundRequests { get; }

    public Counter<long> InboundRefused { get; }

    public Counter<long> OutboundRequests { get; }

    public Counter<long> Lookups { get; }

    public Histogram<double> LookupDuration { get; }

    public Counter<long> RecordsStored { get; }

    public Counter<long> RecordsRejected { get; }

    /// <summary>Reports the routing-table size through <paramref name="observe"/>.</summary>
    public void ObserveRoutingTable(Func<int> observe) =>
        _meter.CreateObservableGauge("chhaya.kad.routing_table.peers", observe, "{peer}", "Peers in the routing table");

    public void Dispose() => _meter.Dispose();
}
