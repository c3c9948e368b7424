// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using Chhaya.P2p.Addressing;

namespace Chhaya.P2p.Transport;

/// <summary>TCP over IPv4/IPv6, with <c>/dns</c>, <c>/dns4</c> and <c>/dns6</c> resolved on dial. Nagle is off.</summary>
public sealed class TcpTransport : ITransport
{
    public bool CanDial(Multiaddr address) => address?.WithoutPeerId().TryGetTcpTarget() is not null && address.WithoutPeerId().Components.Count == 2;

    public bool CanListen(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Components.Count == 2
            && (address.Components[0].Protocol == MultiaddrProtocol.Ip4 || address.Components[0].Protocol == MultiaddrProtocol.Ip6)
            && address.Components[1].Protocol == MultiaddrProtocol.Tcp;
    }

    public async Task<RawConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bare = address.WithoutPeerId();
        var (host, port) = bare.TryGetTcpTarget() ?? throw new ArgumentException($"{address} is not a TCP address", nameof(address));
        IPAddress ip;
        if (!IPAddress.TryParse(host, out ip!))
        {
            var family = bare.Components[0].Protocol == MultiaddrProtocol.Dns4 ? AddressFamily.InterNetwork
                : bare.Components[0].Protocol == MultiaddrProtocol.Dns6 ? AddressFamily.InterNetworkV6 : AddressFamily.Unspecified;
            var addresses = await Dns.GetHostAddressesAsync(host, family, cancellationToken).ConfigureAwait(false);
            ip = addresses.FirstOrDefault() ?? throw new IOException($"{host} did not resolve");
        }

        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ip, port), cancellationToken).ConfigureAwait(false);
            return new RawConnection(
                new NetworkStream(socket, ownsSocket: true),
                Multiaddr.FromTcpEndPoint((IPEndPoint)socket.LocalEndPoint!),
                Multiaddr.FromTcpEndPoint((IPEndPoint)socket.RemoteEndPoint!));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ITransportListener Listen(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!CanListen(address))
        {
            throw new ArgumentException($"{address} is not an /ip4|ip6/.../tcp/... address", nameof(address));
        }

        var (host, port) = address.TryGetTcpTarget()!.Value;
        var listener = new TcpListener(IPAddress.Parse(host), port);
        listener.Start(backlog: 128);
        return new TcpTransportListener(listener);
    }

    private sealed class TcpTransportListener(TcpListener listener) : ITransportListener
    {
        public Multiaddr LocalAddress { get; } = Multiaddr.FromTcpEndPoint((IPEndPoint)listener.LocalEndpoint);

        public async Task<RawConnection> AcceptAsync(CancellationToken cancellationToken)
        {
            var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            socket.NoDelay = true;
            return new RawConnection(
                new NetworkStream(socket, ownsSocket: true),
                Multiaddr.FromTcpEndPoint((IPEndPoint)socket.LocalEndPoint!),
                Multiaddr.FromTcpEndPoint((IPEndPoint)socket.RemoteEndPoint!));
        }

        public ValueTask DisposeAsync()
        {
            listener.Stop();
            listener.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
