// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Protocols;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Hosting;

/// <summary>Whether we dialed the connection or accepted it.</summary>
public enum ConnectionDirection
{
    Inbound,
    Outbound,
}

/// <summary>An upgraded connection: authenticated remote peer and a Yamux session.</summary>
public sealed class Libp2pConnection
{
    private readonly TaskCompletionSource<IdentifyInfo> _identified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IdentifyInfo? _identify;

    internal Libp2pConnection(PeerId remotePeer, PublicKey remoteKey, Multiaddr localAddress, Multiaddr remoteAddress, ConnectionDirection direction, string muxer, YamuxSession session)
    {
        RemotePeer = remotePeer;
        RemotePublicKey = remoteKey;
        LocalAddress = localAddress;
        RemoteAddress = remoteAddress;
        Direction = direction;
        Muxer = muxer;
        Session = session;
        OpenedAt = DateTimeOffset.UtcNow;
    }

    public PeerId RemotePeer { get; }

    public PublicKey RemotePublicKey { get; }

    public Multiaddr LocalAddress { get; }

    public Multiaddr RemoteAddress { get; }

    public ConnectionDirection Direction { get; }

    /// <summary>The agreed stream muxer (<c>/yamux/1.0.0</c>).</summary>
    public string Muxer { get; }

    public DateTimeOffset OpenedAt { get; }

    public YamuxSession Session { get; }

    public bool IsClosed => Session.IsClosed;

    /// <summary>The latest identify information (from the first exchange or a later push), if any.</summary>
    public IdentifyInfo? Identify => Volatile.Read(ref _identify);

    /// <summary>Completes with the first identify result, or fails when identify fails.</summary>
    public Task<IdentifyInfo> Identified => _identified.Task;

    /// <summary>Completes when the connection is gone.</summary>
    public Task<Exception?> Completion => Session.Completion;

    public Task CloseAsync() => Session.CloseAsync();

    public override string ToString() => $"{Direction} {RemotePeer} at {RemoteAddress}";

    internal void SetIdentify(IdentifyInfo info)
    {
        Volatile.Write(ref _identify, info);
        _identified.TrySetResult(info);
    }

    internal void FailIdentify(Exception e) => _identified.TrySetException(e);
}
