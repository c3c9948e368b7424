// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using Chhaya.P2p.Addressing;

namespace Chhaya.P2p.Kad;

/// <summary>Which addresses the DHT hands out, keeps and dials (see <see cref="KadDhtOptions.LoopbackOnly"/>).</summary>
public static class AddressFilter
{
    /// <summary>True for <c>/ip4/127.x.x.x/...</c>, <c>/ip6/::1/...</c> and <c>/dns*/localhost/...</c>.</summary>
    public static bool IsLoopback(Multiaddr address)
    {
        var first = address.Components[0];
        if (first.Protocol == MultiaddrProtocol.Ip4 || first.Protocol == MultiaddrProtocol.Ip6)
        {
            return IPAddress.IsLoopback(new IPAddress(first.Value.Span));
        }

        if (first.Protocol == MultiaddrProtocol.Dns || first.Protocol == MultiaddrProtocol.Dns4 || first.Protocol == MultiaddrProtocol.Dns6)
        {
            return System.Text.Encoding.ASCII.GetString(first.Value.Span) == "localhost";
        }

        return false;
    }

    /// <summary>The addresses allowed under <paramref name="loopbackOnly"/>, without any <c>/p2p</c> suffix, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<Multiaddr> Apply(IEnumerable<Multiaddr> addresses, bool loopbackOnly, int max) =>
        [.. addresses.Select(a => a.WithoutPeerId()).Where(a => !loopbackOnly || IsLoopback(a)).Distinct().Take(max)];
}
