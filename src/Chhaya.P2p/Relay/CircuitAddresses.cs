// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;

namespace Chhaya.P2p.Relay;

/// <summary>Building and splitting <c>RELAYADDR/p2p/RELAY/p2p-circuit/p2p/TARGET</c> addresses.</summary>
public static class CircuitAddresses
{
    /// <summary><paramref name="relay"/> (ending in <c>/p2p/RELAY</c>) + <c>/p2p-circuit/p2p/TARGET</c>.</summary>
    public static Multiaddr Build(Multiaddr relay, PeerId target)
    {
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(target);
        return Multiaddr.FromComponents(
        [
            .. relay.Components,
            new MultiaddrComponent(MultiaddrProtocol.P2pCircuit, ReadOnlyMemory<byte>.Empty),
            new MultiaddrComponent(MultiaddrProtocol.P2p, target.Bytes.ToArray()),
        ]);
    }

    /// <summary>
    /// Splits a circuit address into the relay part (which must end in <c>/p2p/RELAY</c>) and the target peer
    /// (the <c>/p2p</c> right after <c>/p2p-circuit</c>); null when it is not one.
    /// </summary>
    public static (Multiaddr Relay, PeerId Target)? TrySplit(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var c = address.Components;
        var i = -1;
        for (var k = 0; k < c.Count; k++)
        {
            if (c[k].Protocol == MultiaddrProtocol.P2pCircuit)
            {
                i = k;
                break;
            }
        }

        if (i < 2 || i != c.Count - 2 || c[i - 1].Protocol != MultiaddrProtocol.P2p || c[i + 1].Protocol != MultiaddrProtocol.P2p)
        {
            return null;
        }

        return (Multiaddr.FromComponents([.. c.Take(i)]), PeerId.FromBytes(c[i + 1].Value.Span));
    }

    internal static bool IsRelayed(Multiaddr address) => address.Components.Any(c => c.Protocol == MultiaddrProtocol.P2pCircuit);
}
