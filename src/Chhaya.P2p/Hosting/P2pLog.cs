// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Hosting;

/// <summary>
/// Source-generated log events of Chhaya.P2p (event ids 6000-6099). They carry peer ids, addresses, protocol
/// names and reasons; never key material.
/// </summary>
internal static partial class P2pLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "libp2p host {PeerId} listening on {Address}")]
    public static partial void Listening(ILogger logger, PeerId peerId, Multiaddr address);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Connection {Direction} with {PeerId} at {Address} established (muxer {Muxer})")]
    public static partial void ConnectionEstablished(ILogger logger, string direction, PeerId peerId, Multiaddr address, string muxer);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Connection with {PeerId} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Handshake with {Address} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, Multiaddr address, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Peer {PeerId} broke the Yamux protocol and was dropped: {Reason}")]
    public static partial void YamuxProtocolError(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Debug, Message = "Inbound stream {StreamId} from {PeerId} refused: {Reason}")]
    public static partial void StreamRefused(ILogger logger, uint streamId, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Debug, Message = "Stream {Protocol} from {PeerId} failed: {Reason}")]
    public static partial void StreamHandlerFailed(ILogger logger, string protocol, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Inbound connection from {Address} refused: {Reason}")]
    public static partial void InboundRefused(ILogger logger, Multiaddr address, string reason);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "Identified {PeerId}: agent {Agent}, {ProtocolCount} protocols")]
    public static partial void Identified(ILogger logger, PeerId peerId, string agent, int protocolCount);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Debug, Message = "Identify with {PeerId} failed: {Reason}")]
    public static partial void IdentifyFailed(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Keep-alive ping to {PeerId} failed; closing the connection: {Reason}")]
    public static partial void KeepAliveFailed(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Trimming connection with {PeerId}: {Reason}")]
    public static partial void Trimming(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Warning, Message = "Accept loop on {Address} failed: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, Multiaddr address, string reason);
}
