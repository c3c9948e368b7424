// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Kad;

/// <summary>Answering inbound DHT streams (server mode only).</summary>
public sealed partial class KadDht
{
    /// <summary>
    /// Serves one inbound stream: up to <see cref="KadDhtOptions.MaxRequestsPerStream"/> requests, each within
    /// <see cref="KadDhtOptions.StreamIdleTimeout"/> of the previous, each charged to the peer's rate limit. A malformed
    /// or refused request resets the stream (spec: "On any error, the stream is reset").
    /// </summary>
    private async Task HandleStreamAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        var peer = context.Connection.RemotePeer;
        try
        {
            for (var i = 0; i < _options.MaxRequestsPerStream; i++)
            {
                KadMessage? request;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token))
                {
                    idle.CancelAfter(_options.StreamIdleTimeout);
                    request = await KadFraming.ReadAsync(context.Stream, _options.Limits, idle.Token).ConfigureAwait(false);
                    if (request is null)
                    {
                        return;
                    }

                    if (!_rateLimiter.TryAcquire(peer))
                    {
                        _metrics.InboundRefused.Add(1, new KeyValuePair<string, object?>("reason", "rate"));
                        KadLog.RateLimited(_logger, peer);
                        context.Stream.Reset();
                        return;
                    }

                    _metrics.InboundRequests.Add(1, new KeyValuePair<string, object?>("type", request.Type.ToString()));
                    var response = Answer(context.Connection, request);
                    if (response is not null)
                    {
                        await KadFraming.WriteAsync(context.Stream, response, idle.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e) when (e is MalformedInputException or InvalidRecordException or IOException or OperationCanceledException)
        {
            _metrics.InboundRefused.Add(1, new KeyValuePair<string, object?>("reason", e.GetType().Name));
            KadLog.InboundFailed(_logger, peer, e.Message);
            context.Stream.Reset();
        }
    }

    /// <summary>The answer to one request, or null when the type has none (ADD_PROVIDER).</summary>
    /// <exception cref="MalformedInputException">The request lacks what its type needs.</exception>
    /// <exception cref="InvalidRecordException">A PUT_VALUE record does not validate.</exception>
    private KadMessage? Answer(Libp2pConnection connection, KadMessage request)
    {
        var from = connection.RemotePeer;
        switch (request.Type)
        {
            case KadMessageType.Ping:
                return request;
            case KadMessageType.FindNode:
                return new KadMessage { Type = request.Type, Key = request.Key, CloserPeers = CloserPeers(request.Key, from) };
            case KadMessageType.GetValue:
                RequireKey(request);
                return new KadMessage
                {
                    Type = request.Type,
                    Key = request.Key,
                    Record = LocalRecord(request.Key, connection),
                    CloserPeers = CloserPeers(request.Key, from),
                };
            case KadMessageType.PutValue:
                RequireKey(request);
                if (request.Record is null || !request.Record.Key.AsSpan().SequenceEqual(request.Key))
                {
                    throw new MalformedInputException("PUT_VALUE needs a record whose key equals the message key");
                }

                StoreRecord(from, request.Record.Key, request.Record.Value);
                return request;
            case KadMessageType.AddProvider:
                RequireKey(request);

                // Spec: only provider entries that match the sender are recorded; others are ignored.
                foreach (var p in request.ProviderPeers.Where(p => p.Id.Equals(from)).Take(1))
                {
                    var addresses = p.Addresses.Count > 0 ? p.Addresses : connection.Identify?.ListenAddresses ?? [];
                    Providers.Add(request.Key, from, Filter(addresses));
                }

                return null;
            case KadMessageType.GetProviders:
                RequireKey(request);
                return new KadMessage
                {
                    Type = request.Type,
                    Key = request.Key,
                    ProviderPeers = [.. Providers.Get(request.Key).Take(_options.BucketSize).Select(p => p with { Addresses = Filter(p.Addresses) })],
                    CloserPeers = CloserPeers(request.Key, from),
                };
            default:
                throw new MalformedInputException($"DHT request type {request.Type} is unknown");
        }
    }

    private void StoreRecord(PeerId from, byte[] key, byte[] value)
    {
        try
        {
            switch (Records.Put(key, value))
            {
                case RecordPutResult.Stored:
                    _metrics.RecordsStored.Add(1);
                    break;
                case RecordPutResult.Full:
                    // Echoing would tell the sender we keep the record; resetting tells it we do not.
                    throw new IOException("the record store is full");
                default:
                    // An older record than ours: ours stays, and the sender learns it on its next GET_VALUE.
                    break;
            }
        }
        catch (InvalidRecordException e)
        {
            _metrics.RecordsRejected.Add(1);
            KadLog.RecordRefused(_logger, from, e.Message);
            throw;
        }
    }

    private KadRecord? LocalRecord(byte[] key, Libp2pConnection connection)
    {
        if (Records.Get(key) is { } stored)
        {
            return new KadRecord(key, stored.Value, stored.Received.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture));
        }

        // /pk/ of ourselves or of the asking peer: the answer follows from keys we hold.
        if (key.AsSpan().SequenceEqual(PublicKeyRecordValidator.KeyFor(PeerId)) && PeerId.TryGetPublicKey() is { } ours)
        {
            return new KadRecord(key, ours.Encoded.ToArray());
        }

        if (key.AsSpan().SequenceEqual(PublicKeyRecordValidator.KeyFor(connection.RemotePeer)))
        {
            return new KadRecord(key, connection.RemotePublicKey.Encoded.ToArray());
        }

        return null;
    }

    /// <summary>The k closest peers we know to <paramref name="key"/>, without the asker (it knows itself).</summary>
    private List<KadPeer> CloserPeers(byte[] key, PeerId asker) =>
        [.. RoutingTable.Closest(KadId.FromKey(key), _options.BucketSize + 1)
            .Where(e => !e.Peer.Equals(asker))
            .Take(_options.BucketSize)
            .Select(ToKadPeer)
            .Where(p => p.Addresses.Count > 0 || p.Connection == KadConnectionType.Connected)];

    private static void RequireKey(KadMessage request)
    {
        if (request.Key.Length == 0)
        {
            throw new MalformedInputException($"{request.Type} needs a key");
        }
    }
}
