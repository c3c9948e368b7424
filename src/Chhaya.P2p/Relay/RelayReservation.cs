// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Relay;

/// <summary>A reservation a relay granted us, its voucher checked.</summary>
/// <param name="Relay">The relay's peer id.</param>
/// <param name="Expires">When the reservation ends unless refreshed.</param>
/// <param name="RelayAddresses">The relay's addresses (ending in <c>/p2p/RELAY</c>), as the relay announced them.</param>
/// <param name="CircuitAddresses">Our addresses through the relay: each relay address + <c>/p2p-circuit/p2p/US</c>.</param>
/// <param name="Limit">The limits the relay applies to relayed connections, if it said.</param>
/// <param name="Voucher">The voucher the relay signed.</param>
public sealed record RelayReservation(
    PeerId Relay,
    DateTimeOffset Expires,
    IReadOnlyList<Multiaddr> RelayAddresses,
    IReadOnlyList<Multiaddr> CircuitAddresses,
    RelayLimit? Limit,
    ReservationVoucher Voucher);
