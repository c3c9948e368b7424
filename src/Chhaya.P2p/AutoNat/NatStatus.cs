// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.AutoNat;

/// <summary>What AutoNAT concluded about our reachability.</summary>
public enum NatStatus
{
    Unknown,
    Public,
    Private,
}
