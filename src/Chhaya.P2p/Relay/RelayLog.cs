// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Relay;

/// <summary>Source-generated log events of circuit relay v2 (event ids 6340-6369).</summary>
internal static partial class RelayLog
{
    [LoggerMessage(EventId = 6340, Level = LogLevel.Information, Message = "Relay reservation for {PeerId} accepted until {Expires}")]
    public static partial void Reserved(ILogger logger, PeerId peerId, DateTimeOffset expires);

    [LoggerMessage(EventId = 6341, Level = LogLevel.Information, Message = "Relay request from {PeerId} refused: {Status} ({Reason})")]
    public static partial void Refused(ILogger logger, PeerId peerId, RelayStatus status, string reason);

    [LoggerMessage(EventId = 6342, Level = LogLevel.Information, Message = "Relaying {Source} -> {Target}")]
    public static partial void CircuitOpened(ILogger logger, PeerId source, PeerId target);

    [LoggerMessage(EventId = 6343, Level = LogLevel.Information, Message = "Relayed connection {Source} -> {Target} ended: {Reason} ({Up} bytes up, {Down} bytes down)")]
    public static partial void CircuitClosed(ILogger logger, PeerId source, PeerId target, CircuitEnd reason, long up, long down);

    [LoggerMessage(EventId = 6344, Level = LogLevel.Information, Message = "Relayed connection from {PeerId} via {Relay} accepted")]
    public static partial void InboundCircuit(ILogger logger, PeerId peerId, PeerId relay);

    [LoggerMessage(EventId = 6345, Level = LogLevel.Information, Message = "Stop request from {Relay} refused: {Status} ({Reason})")]
    public static partial void StopRefused(ILogger logger, PeerId relay, RelayStatus status, string reason);
}
