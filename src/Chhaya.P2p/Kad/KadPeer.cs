// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Kad;

/// <summary>A <c>Message.Peer</c>: a peer id, its addresses (without <c>/p2p</c>) and the sender's connection hint.</summary>
public sealed record KadPeer(PeerId Id, IReadOnlyList<Multiaddr> Addresses, KadConnectionType Connection = KadConnectionType.NotConnected);
