// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.Metrics;

namespace Chhaya.P2p.Hosting;

/// <summary>
/// OpenTelemetry-style instruments of the libp2p host, on the meter <c>Chhaya.P2p</c>. Register the meter
/// name with the OpenTelemetry SDK to export them.
/// </summary>
public sealed class P2pMetrics : IDisposable
{
    public const string MeterName = "Chhaya.P2p";

    private readonly Meter _meter;

    public P2pMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        ConnectionsOpened = _meter.CreateCounter<long>("chhaya.p2p.connections.opened", "{connection}", "Connections established, by direction");
        ConnectionsClosed = _meter.CreateCounter<long>("chhaya.p2p.connections.closed", "{connection}", "Connections closed");
        ConnectionsActive = _meter.CreateUpDownCounter<long>("chhaya.p2p.connections.active", "{connection}", "Connections open now");
        HandshakeFailures = _meter.CreateCounter<long>("chhaya.p2p.handshake.failures", "{handshake}", "Connection upgrades that failed, by reason");
        StreamsOpened = _meter.CreateCounter<long>("chhaya.p2p.streams.opened", "{stream}", "Streams opened, by direction");
        StreamsRefused = _meter.CreateCounter<long>("chhaya.p2p.streams.refused", "{stream}", "Inbound streams refused over a limit");
        ProtocolErrors = _meter.CreateCounter<long>("chhaya.p2p.protocol.errors", "{error}", "Peers dropped for protocol violations");
        BytesSent = _meter.CreateCounter<long>("chhaya.p2p.bytes.sent", "By", "Encrypted bytes written to connections");
        BytesReceived = _meter.CreateCounter<long>("chhaya.p2p.bytes.received", "By", "Encrypted bytes read from connections");
    }

    public Counter<long> ConnectionsOpened { get; }

    public Counter<long> ConnectionsClosed { get; }

    public UpDownCounter<long> ConnectionsActive { get; }

    public Counter<long> HandshakeFailures { get; }

    public Counter<long> StreamsOpened { get; }

    public Counter<long> StreamsRefused { get; }

    public Counter<long> ProtocolErrors { get; }

    public Counter<long> BytesSent { get; }

    public Counter<long> BytesReceived { get; }

    public void Dispose() => _meter.Dispose();
}
