// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Hosting;

/// <summary>An outbound stream and the protocol the peer accepted on it.</summary>
public sealed record OutboundStreamHandle(string Protocol, YamuxStream Stream) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
