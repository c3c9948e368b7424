// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Protocols;

/// <summary>Protocol ids of identify and identify push (specs <c>identify/README.md</c>).</summary>
public static class IdentifyProtocol
{
    public const string ProtocolId = "/ipfs/id/1.0.0";
    public const string PushProtocolId = "/ipfs/id/push/1.0.0";
}
