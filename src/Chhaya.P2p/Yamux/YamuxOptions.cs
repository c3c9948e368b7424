// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Yamux;

/// <summary>Limits of one Yamux session.</summary>
public sealed class YamuxOptions
{
    /// <summary>The spec's initial window; a peer sending beyond it (plus updates) is dropped.</summary>
    public const int InitialWindow = 256 * 1024;

    /// <summary>Receive window per stream; above 256 KiB it is announced with a window update on open/accept.</summary>
    public int ReceiveWindow { get; set; } = InitialWindow;

    /// <summary>Streams the peer may have open at once; further SYNs are answered with RST.</summary>
    public int MaxInboundStreams { get; set; } = 256;

    /// <summary>Streams we may have open at once.</summary>
    public int MaxOutboundStreams { get; set; } = 256;

    /// <summary>SYNs refused in a row before the peer is treated as flooding and the session is closed.</summary>
    public int MaxRefusedStreams { get; set; } = 1024;

    /// <summary>Largest data frame we send; larger writes are split.</summary>
    public int MaxFrameData { get; set; } = 64 * 1024;

    /// <summary>Interval between keep-alive pings; zero turns them off.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the session is closed.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stream closed locally waits for the peer's FIN before it is reset.</summary>
    public TimeSpan CloseLinger { get; set; } = TimeSpan.FromSeconds(10);
}
