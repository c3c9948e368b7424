// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Sockets;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Noise;
using Chhaya.Safety;

namespace Chhaya.P2p.Kad;

/// <summary>Outbound requests, dialing under the address filter, and routing-table admission.</summary>
public sealed partial class KadDht
{
    /// <summary>Sends one request on a new stream and reads the answer (none for ADD_PROVIDER, which has no reply).</summary>
    internal async Task<KadMessage?> SendAsync(PeerId peer, KadMessage request, CancellationToken cancellationToken)
    {
        var type = request.Type.ToString();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            var connection = await ConnectAsync(peer, timeout.Token).ConfigureAwait(false);
            var handle = await _host.OpenStreamAsync(connection, [_options.ProtocolId], timeout.Token).ConfigureAwait(false);
            KadMessage? response = null;
            await using (handle.ConfigureAwait(false))
            {
                await KadFraming.WriteAsync(handle.Stream, request, timeout.Token).ConfigureAwait(false);
                if (request.Type != KadMessageType.AddProvider)
                {
                    response = await KadFraming.ReadAsync(handle.Stream, _options.Limits, timeout.Token).ConfigureAwait(false)
                        ?? throw new IOException("the peer closed the stream without answering");
                    if (response.Type != request.Type)
                    {
                        throw new MalformedInputException($"answer of type {response.Type} to a {request.Type} request");
                    }
                }
            }

            _metrics.OutboundRequests.Add(1, new("type", type), new("outcome", "ok"));
            return response;
        }
        catch (Exception e) when (IsRequestFailure(e, cancellationToken))
        {
            _metrics.OutboundRequests.Add(1, new("type", type), new("outcome", "failed"));
            KadLog.RequestFailed(_logger, request.Type, peer, e.Message);
            throw new IOException($"{request.Type} to {peer} failed: {e.Message}", e);
        }
    }

    /// <summary>An open connection to <paramref name="peer"/>, dialing its known addresses that pass the filter.</summary>
    private async Task<Libp2pConnection> ConnectAsync(PeerId peer, CancellationToken cancellationToken)
    {
        if (Connected(peer) is { } existing)
        {
            return existing;
        }

        var addresses = KnownAddresses(peer).Where(Dialable).Take(4).ToList();
        if (addresses.Count == 0)
        {
            throw new IOException($"no dialable address known for {peer}");
        }

        Exception? last = null;
        foreach (var a in addresses)
        {
            try
            {
                return await _host.DialAsync(a.WithPeerId(peer), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRequestFailure(e, cancellationToken))
            {
                last = e;
            }
        }

        throw new IOException($"could not dial {peer}: {last?.Message}", last);
    }

    private Libp2pConnection? Connected(PeerId peer) =>
        _host.Connections.FirstOrDefault(c => !c.IsClosed && c.RemotePeer.Equals(peer));

    private bool Dialable(Multiaddr address) =>
        address.TryGetTcpTarget() is not null && (!_options.LoopbackOnly || AddressFilter.IsLoopback(address));

    private IReadOnlyList<Multiaddr> Filter(IEnumerable<Multiaddr> addresses) =>
        AddressFilter.Apply(addresses, _options.LoopbackOnly, _options.Limits.MaxAddressesPerPeer);

    private IReadOnlyList<Multiaddr> KnownAddresses(PeerId peer)
    {
        var known = RoutingTable.Find(peer)?.Addresses ?? _addressBook.GetValueOrDefault(peer) ?? [];
        if (known.Count == 0 && Connected(peer) is { } c)
        {
            known = c.Identify?.ListenAddresses ?? [];
        }

        return Filter(known);
    }

    /// <summary>Remembers addresses learned from a peer's answer, bounded.</summary>
    private void Learn(KadPeer peer)
    {
        var addresses = Filter(peer.Addresses);
        if (addresses.Count == 0 || peer.Id.Equals(PeerId))
        {
            return;
        }

        if (_addressBook.Count >= _options.MaxAddressBookEntries && !_addressBook.ContainsKey(peer.Id))
        {
            // Drop an arbitrary entry not in the routing table; the table keeps its own addresses.
            var victim = _addressBook.Keys.FirstOrDefault(p => RoutingTable.Find(p) is null);
            if (victim is null)
            {
                return;
            }

            _addressBook.TryRemove(victim, out _);
        }

        _addressBook[peer.Id] = addresses;
    }

    private KadPeer ToKadPeer(PeerId peer) => new(
        peer,
        peer.Equals(PeerId) ? OurAddresses() : KnownAddresses(peer),
        Connected(peer) is not null ? KadConnectionType.Connected : KadConnectionType.NotConnected);

    private KadPeer ToKadPeer(RoutingEntry entry) => ToKadPeer(entry.Peer);

    private IReadOnlyList<Multiaddr> OurAddresses() =>
        Filter(_host.GetAnnounceAddresses().Select(a => a.WithoutPeerId()));

    private void OnConnectionOpened(object? sender, Libp2pConnection connection) =>
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(_options.RequestTimeout);
                await ConsiderPeerAsync(connection, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRequestFailure(e, CancellationToken.None) || e is ObjectDisposedException)
            {
                // Identify failed or the connection went away: not a routing-table candidate.
            }
        });

    /// <summary>Adds the peer of <paramref name="connection"/> when identify says it is a DHT server.</summary>
    private async Task ConsiderPeerAsync(Libp2pConnection connection, CancellationToken cancellationToken)
    {
        var info = connection.Identify ?? await connection.Identified.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!info.Protocols.Contains(_options.ProtocolId, StringComparer.Ordinal))
        {
            return;
        }

        await TryAddPeerAsync(connection.RemotePeer, info.ListenAddresses, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds a DHT server to the routing table. When its bucket is full, the least recently seen peer is pinged and
    /// replaced only if it does not answer (Kademlia's preference for long-lived peers).
    /// </summary>
    private async Task TryAddPeerAsync(PeerId peer, IReadOnlyList<Multiaddr> addresses, CancellationToken cancellationToken)
    {
        var filtered = Filter(addresses);
        var result = RoutingTable.TryAdd(peer, filtered, out var oldest);
        if (result == RoutingAddResult.Added)
        {
            var bucket = RoutingTable.BucketOf(KadId.FromPeer(peer));
            KadLog.PeerAdded(_logger, peer, bucket);
            return;
        }

        if (result != RoutingAddResult.BucketFull || oldest is null || !await _livenessChecks.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            if (await IsAliveAsync(oldest.Peer, cancellationToken).ConfigureAwait(false))
            {
                RoutingTable.MarkSeen(oldest.Peer);
                return;
            }

            RoutingTable.Remove(oldest.Peer);
            KadLog.PeerEvicted(_logger, oldest.Peer, "did not answer a liveness ping");
            if (RoutingTable.TryAdd(peer, filtered, out _) == RoutingAddResult.Added)
            {
                var bucket = RoutingTable.BucketOf(KadId.FromPeer(peer));
                KadLog.PeerAdded(_logger, peer, bucket);
            }
        }
        finally
        {
            _livenessChecks.Release();
        }
    }

    private async Task<bool> IsAliveAsync(PeerId peer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            var connection = await ConnectAsync(peer, timeout.Token).ConfigureAwait(false);
            await _host.PingAsync(connection, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (IsRequestFailure(e, cancellationToken))
        {
            return false;
        }
    }

    /// <summary>Failures of one remote peer (network, protocol, timeouts), as opposed to our own cancellation or bugs.</summary>
    private static bool IsRequestFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        IOException or SocketException or MalformedInputException or NoiseHandshakeException
            or ProtocolNotSupportedException or TimeoutException or InvalidRecordException or ArgumentException => true,
        _ => false,
    };
}
