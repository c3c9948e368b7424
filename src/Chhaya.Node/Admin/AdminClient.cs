// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Sockets;

namespace Chhaya.Node.Admin;

/// <summary>An HTTP client that talks to a running node over its admin socket.</summary>
public static class AdminClient
{
    /// <summary>A client whose every request goes to <paramref name="socketPath"/>; the host name is ignored.</summary>
    public static HttpClient Create(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://chhaya-admin"), Timeout = TimeSpan.FromSeconds(30) };
    }
}
