// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.AutoNat;

/// <summary>Source-generated log events of AutoNAT (event ids 6320-6339).</summary>
internal static partial class AutoNatLog
{
    [LoggerMessage(EventId = 6320, Level = LogLevel.Debug, Message = "AutoNAT request from {PeerId} answered {Status}: {Text}")]
    public static partial void Served(ILogger logger, PeerId peerId, AutoNatStatus status, string text);

    [LoggerMessage(EventId = 6321, Level = LogLevel.Information, Message = "AutoNAT status is now {Status} (confidence {Confidence})")]
    public static partial void StatusChanged(ILogger logger, NatStatus status, int confidence);

    [LoggerMessage(EventId = 6322, Level = LogLevel.Debug, Message = "AutoNAT probe via {PeerId} failed: {Reason}")]
    public static partial void ProbeFailed(ILogger logger, PeerId peerId, string reason);
}
