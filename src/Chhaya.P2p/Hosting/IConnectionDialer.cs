// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;

namespace Chhaya.P2p.Hosting;

/// <summary>
/// Dials addresses the TCP transport cannot, and returns an upgraded connection (e.g. <c>/p2p-circuit</c>
/// addresses through a relay). Registered with <see cref="Libp2pHost.AddDialer"/>.
/// </summary>
public interface IConnectionDialer
{
    bool CanDial(Multiaddr address);

    Task<Libp2pConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken);
}
