// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;

namespace Chhaya.P2p.Transport;

/// <summary>
/// A transport that yields raw byte streams, which the host then upgrades with multistream-select, Noise and
/// Yamux (libp2p specs <c>connections/README.md</c>, "Upgrading connections"). TCP is the only one today.
/// QUIC (<c>/quic-v1</c>) would secure and multiplex by itself (TLS 1.3 + native streams) and so needs a second
/// interface returning an already-upgraded connection; it is not implemented because System.Net.Quic needs
/// libmsquic, which the build machines lack.
/// </summary>
public interface ITransport
{
    /// <summary>True when this transport can dial <paramref name="address"/>.</summary>
    bool CanDial(Multiaddr address);

    /// <summary>True when this transport can listen on <paramref name="address"/>.</summary>
    bool CanListen(Multiaddr address);

    /// <summary>Opens a raw connection.</summary>
    Task<RawConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken);

    /// <summary>Starts listening; the returned listener reports the actual bound address (port 0 is replaced).</summary>
    ITransportListener Listen(Multiaddr address);
}

/// <summary>A listening endpoint of a transport.</summary>
public interface ITransportListener : IAsyncDisposable
{
    Multiaddr LocalAddress { get; }

    Task<RawConnection> AcceptAsync(CancellationToken cancellationToken);
}

/// <summary>A raw, not yet secured, connection.</summary>
public sealed record RawConnection(Stream Stream, Multiaddr LocalAddress, Multiaddr RemoteAddress);
