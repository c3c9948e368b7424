// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Noise;

/// <summary>What a completed libp2p Noise handshake established.</summary>
internal sealed record NoiseHandshakeResult(
    NoiseSecureStream Stream,
    PeerId RemotePeer,
    PublicKey RemoteKey,
    string? EarlyMuxer);
