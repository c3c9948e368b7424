// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Kad;

/// <summary>Source-generated log events of the Kademlia DHT (event ids 6100-6149). Peer ids and reasons only; never record values.</summary>
internal static partial class KadLog
{
    [LoggerMessage(EventId = 6400, Level = LogLevel.Information, Message = "Kademlia DHT started in {Mode} mode on {Protocol}")]
    public static partial void Started(ILogger logger, string mode, string protocol);

    [LoggerMessage(EventId = 6401, Level = LogLevel.Debug, Message = "Peer {PeerId} added to routing table bucket {Bucket}")]
    public static partial void PeerAdded(ILogger logger, PeerId peerId, int bucket);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Debug, Message = "Peer {PeerId} evicted from the routing table: {Reason}")]
    public static partial void PeerEvicted(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Debug, Message = "Request {Type} to {PeerId} failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, KadMessageType type, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Debug, Message = "Inbound DHT stream from {PeerId} ended: {Reason}")]
    public static partial void InboundFailed(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Warning, Message = "Peer {PeerId} is over its DHT request rate; stream reset")]
    public static partial void RateLimited(ILogger logger, PeerId peerId);

    [LoggerMessage(EventId = 6406, Level = LogLevel.Debug, Message = "Record from {PeerId} refused: {Reason}")]
    public static partial void RecordRefused(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6407, Level = LogLevel.Debug, Message = "Lookup {Type} finished: {Queried} peers queried, {Succeeded} answered, in {Milliseconds} ms")]
    public static partial void LookupDone(ILogger logger, KadMessageType type, int queried, int succeeded, long milliseconds);

    [LoggerMessage(EventId = 6408, Level = LogLevel.Information, Message = "Bootstrap finished: {Count} peers in the routing table")]
    public static partial void Bootstrapped(ILogger logger, int count);

    [LoggerMessage(EventId = 6409, Level = LogLevel.Warning, Message = "Bootstrap peer {Address} failed: {Reason}")]
    public static partial void BootstrapPeerFailed(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 6410, Level = LogLevel.Warning, Message = "DHT refresh failed: {Reason}")]
    public static partial void RefreshFailed(ILogger logger, string reason);
}
