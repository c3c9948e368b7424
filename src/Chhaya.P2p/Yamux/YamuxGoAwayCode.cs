// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Yamux;

/// <summary>GoAway error codes ("GoAway" section of the spec).</summary>
public enum YamuxGoAwayCode : uint
{
    Normal = 0,
    ProtocolError = 1,
    InternalError = 2,
}
