// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Sockets;
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Mdns;

/// <summary>Source-generated log events of mDNS discovery (event ids 6300-6319).</summary>
internal static partial class MdnsLog
{
    [LoggerMessage(EventId = 6300, Level = LogLevel.Information, Message = "mDNS discovery for {Service} on {Interfaces}")]
    public static partial void Started(ILogger logger, string service, string interfaces);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "mDNS discovered {PeerId} with {Count} addresses")]
    public static partial void Discovered(ILogger logger, PeerId peerId, int count);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Debug, Message = "mDNS packet from {Source} dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Warning, Message = "mDNS send on {Interface} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, string @interface, SocketError error);

    [LoggerMessage(EventId = 6305, Level = LogLevel.Debug, Message = "mDNS receive failed: {Error}")]
    public static partial void ReceiveFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 6306, Level = LogLevel.Warning, Message = "a PeerDiscovered handler failed for {PeerId}: {Reason}")]
    public static partial void HandlerFailed(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Warning, Message = "mDNS found no usable interface; discovery stays idle")]
    public static partial void NoInterface(ILogger logger);

    [LoggerMessage(EventId = 6307, Level = LogLevel.Warning, Message = "mDNS could not bind UDP port {Port} ({Error}); discovery stays idle")]
    public static partial void BindFailed(ILogger logger, int port, SocketError error);
}
