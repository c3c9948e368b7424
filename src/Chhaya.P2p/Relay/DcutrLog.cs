// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Relay;

/// <summary>Source-generated log events of DCUtR (event ids 6360-6369).</summary>
internal static partial class DcutrLog
{
    [LoggerMessage(EventId = 6360, Level = LogLevel.Information, Message = "Direct connection with {PeerId} at {Address} replaces the relayed one")]
    public static partial void Upgraded(ILogger logger, PeerId peerId, Multiaddr address);

    [LoggerMessage(EventId = 6361, Level = LogLevel.Debug, Message = "Direct connection upgrade with {PeerId} failed: {Reason}")]
    public static partial void Failed(ILogger logger, PeerId peerId, string reason);
}
