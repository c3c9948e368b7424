// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Yamux;

/// <summary>Limits of one Yamux session.</summary>
public sealed class YamuxOptions
{
    /// <summary>The spec's initial window; a peer sending beyond it (plus updates) is dropped.</summary>
    public const int InitialWindow = 256 * 1024;

    /// <summary>Receive window each stream starts with; above 256 KiB it is announced with a window update on open/accept.</summary>
    public int ReceiveWindow { get; set; } = InitialWindow;

    /// <summary>
    /// Doubles a stream's receive window (up to <see cref="MaxReceiveWindow"/>, within
    /// <see cref="MaxSessionReceiveWindow"/>) when the peer uses half of it in less than four round trips, so one
    /// fast stream is not held back by window updates in flight. Off: every stream keeps <see cref="ReceiveWindow"/>.
    /// </summary>
    public bool AutoTuneReceiveWindow { get; set; } = true;

    /// <summary>
    /// Largest receive window one stream can grow to (a smaller value than <see cref="ReceiveWindow"/> means no growth).
    /// 1 MiB rather than go/js's 16 MiB: received data waits in pipe segments from the shared array pool, which keeps
    /// only a few dozen of them, so beyond about 1 MiB buffered a bulk stream allocates fresh segments (about 28 MB per
    /// 64 MiB measured at 4 and 16 MiB). 1 MiB still allows about 10 MiB/s per stream at a 100 ms round trip.
    /// </summary>
    public int MaxReceiveWindow { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bound on the sum of all receive windows of one session, which is the most a peer can make us buffer on one
    /// connection. Every stream slot (<see cref="MaxInboundStreams"/> + <see cref="MaxOutboundStreams"/>) keeps its
    /// <see cref="ReceiveWindow"/> of it in reserve, so growth never makes a new stream fail; windows grow only
    /// from the rest. The default leaves 32 MiB for growth beside the 512 × 256 KiB of the default slots. A budget
    /// below the slots' reserve allows no growth, and then the bound is the slots' reserve itself.
    /// </summary>
    public long MaxSessionReceiveWindow { get; set; } = (512L * InitialWindow) + (32L * 1024 * 1024);

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

    /// <summary>The receive window all stream slots hold in reserve: the budget that growth cannot touch.</summary>
    internal long SlotReserve => ((long)MaxInboundStreams + MaxOutboundStreams) * Math.Max(ReceiveWindow, InitialWindow);
}
