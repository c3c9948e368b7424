// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Pubsub;

/// <summary>Gossipsub log events, ids 6100–6119, category <c>Chhaya.P2p.Pubsub</c>. Message contents are never logged.</summary>
internal static partial class GossipsubLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Gossipsub router started on {PeerId}")]
    public static partial void Started(ILogger logger, PeerId peerId);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Debug, Message = "Pubsub peer {PeerId} attached with {Protocol}")]
    public static partial void PeerAttached(ILogger logger, PeerId peerId, string protocol);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Debug, Message = "Pubsub peer {PeerId} detached")]
    public static partial void PeerDetached(ILogger logger, PeerId peerId);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "No pubsub stream to {PeerId}: {Reason}")]
    public static partial void StreamOpenFailed(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Malformed RPC from {PeerId}; closing its stream: {Reason}")]
    public static partial void MalformedRpc(ILogger logger, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Debug, Message = "Message {MessageId} on {Topic} from {PeerId} rejected: {Reason}")]
    public static partial void MessageRejected(ILogger logger, MessageId messageId, string topic, PeerId peerId, string reason);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Debug, Message = "RPC from graylisted peer {PeerId} (score {Score}) ignored")]
    public static partial void Graylisted(ILogger logger, PeerId peerId, double score);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Debug, Message = "GRAFT {PeerId} into the mesh of {Topic}")]
    public static partial void Grafted(ILogger logger, PeerId peerId, string topic);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Debug, Message = "PRUNE {PeerId} from the mesh of {Topic}")]
    public static partial void Pruned(ILogger logger, PeerId peerId, string topic);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Debug, Message = "RPC from {PeerId} dropped by the inbound rate limit")]
    public static partial void RateLimited(ILogger logger, PeerId peerId);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Debug, Message = "Outbound queue to {PeerId} is full; RPC dropped")]
    public static partial void OutboundQueueFull(ILogger logger, PeerId peerId);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Warning, Message = "Validator for {Topic} failed; message ignored: {Reason}")]
    public static partial void ValidatorFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Debug, Message = "Behaviour penalty for {PeerId}: {Reason}")]
    public static partial void Penalty(ILogger logger, PeerId peerId, string reason);
}
