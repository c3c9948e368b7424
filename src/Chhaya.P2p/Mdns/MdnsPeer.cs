// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Mdns;

/// <summary>A peer announced over mDNS: its id and the addresses (each ending in <c>/p2p/ID</c>) it published.</summary>
public sealed record MdnsPeer(PeerId PeerId, IReadOnlyList<Multiaddr> Addresses);
