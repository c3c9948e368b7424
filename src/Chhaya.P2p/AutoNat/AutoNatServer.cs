// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Noise;
using Chhaya.P2p.Protocols;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chhaya.P2p.AutoNat;

/// <summary>
/// The AutoNAT v1 server: on a DIAL request it dials the requester back on a fresh connection and says whether
/// that worked. Defences (spec "Security Considerations" and RFC 3489 §12.1.1): only addresses whose IP equals
/// the IP the request came from are dialed, so nobody can aim our dials at a third party; requests over relayed
/// connections are refused (their IP says nothing); the dial-back must reach the requester's own peer id; requests
/// are rate-limited per peer and globally, dial-back jobs are capped, and at most
/// <see cref="AutoNatServerOptions.MaxDialAddresses"/> addresses are tried, each under a timeout.
/// </summary>
public sealed class AutoNatServer
{
    private readonly Libp2pHost _host;
    private readonly AutoNatServerOptions _options;
    private readonly RequestLimiter _limiter;
    private readonly ILogger _logger;
    private int _dialBacks;

    public AutoNatServer(Libp2pHost host, AutoNatServerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _options = options ?? new AutoNatServerOptions();
        _limiter = new RequestLimiter(_options.MaxRequestsPerPeer, _options.MaxRequestsGlobal, _options.RateWindow);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chhaya.P2p.AutoNat");
        host.Router.Register(AutoNatMessage.ProtocolId, HandleAsync);
    }

    private async Task HandleAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        var response = await ServeAsync(context, cancellationToken).ConfigureAwait(false);
        AutoNatLog.Served(_logger, context.Connection.RemotePeer, response.Status!.Value, response.StatusText ?? "");
        await LengthPrefixed.WriteAsync(context.Stream, response.Encode(), cancellationToken).ConfigureAwait(false);
        await context.Stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AutoNatMessage> ServeAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        var connection = context.Connection;
        var peer = connection.RemotePeer;
        if (IsRelayed(connection.RemoteAddress) || ObservedIp(connection.RemoteAddress) is not { } observed)
        {
            return AutoNatMessage.Response(AutoNatStatus.DialRefused, "the request's IP address is unknown (relayed connection)");
        }

        if (!_limiter.TryAcquire(peer))
        {
            return AutoNatMessage.Response(AutoNatStatus.DialRefused, "rate limited");
        }

        AutoNatMessage request;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            request = AutoNatMessage.Decode(await LengthPrefixed.ReadAsync(context.Stream, AutoNatMessage.MaxLength, timeout.Token).ConfigureAwait(false));
        }
        catch (MalformedInputException e)
        {
            return AutoNatMessage.Response(AutoNatStatus.BadRequest, e.Message);
        }

        if (request.Type != AutoNatMessage.TypeDial || !request.HasPeer)
        {
            return AutoNatMessage.Response(AutoNatStatus.BadRequest, "expected a DIAL message with a peer");
        }

        if (request.PeerId is not null && !request.PeerId.AsSpan().SequenceEqual(peer.Bytes))
        {
            return AutoNatMessage.Response(AutoNatStatus.BadRequest, "the peer id is not the requester's");
        }

        var targets = Candidates(request.Addresses, observed, peer);
        if (targets.Count == 0)
        {
            return AutoNatMessage.Response(AutoNatStatus.DialRefused, "no dialable address on the observed IP");
        }

        if (Interlocked.Increment(ref _dialBacks) > _options.MaxConcurrentDialBacks)
        {
            Interlocked.Decrement(ref _dialBacks);
            return AutoNatMessage.Response(AutoNatStatus.DialRefused, "too many dial-backs in progress");
        }

        try
        {
            foreach (var target in targets)
            {
                if (await TryDialBackAsync(target, peer, cancellationToken).ConfigureAwait(false))
                {
                    return AutoNatMessage.Response(AutoNatStatus.Ok, "dialed back", target.Bytes.ToArray());
                }
            }

            return AutoNatMessage.Response(AutoNatStatus.DialError, "every dial-back failed");
        }
        finally
        {
            Interlocked.Decrement(ref _dialBacks);
        }
    }

    /// <summary>Decodable TCP addresses on <paramref name="observed"/>, without a foreign <c>/p2p</c>, deduplicated and capped.</summary>
    private List<Multiaddr> Candidates(IReadOnlyList<byte[]> addresses, IPAddress observed, Identity.PeerId peer)
    {
        var result = new List<Multiaddr>();
        foreach (var raw in addresses)
        {
            Multiaddr address;
            try
            {
                address = Multiaddr.Decode(raw);
                if (address.PeerId is { } id && !id.Equals(peer))
                {
                    continue;
                }
            }
            catch (MalformedInputException)
            {
                continue;
            }

            var bare = address.WithoutPeerId();
            if (bare.Components.Count == 2 && bare.TryGetTcpTarget() is not null
                && ObservedIp(bare) is { } ip && ip.Equals(observed) && !result.Contains(bare))
            {
                result.Add(bare);
                if (result.Count == _options.MaxDialAddresses)
                {
                    break;
                }
            }
        }

        return result;
    }

    private async Task<bool> TryDialBackAsync(Multiaddr target, Identity.PeerId peer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DialTimeout);
        try
        {
            // Without /p2p the host makes a fresh connection instead of reusing the one the request came on.
            var connection = await _host.DialAsync(target, timeout.Token).ConfigureAwait(false);
            var reached = connection.RemotePeer.Equals(peer);
            await connection.CloseAsync().ConfigureAwait(false);
            return reached;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or System.Net.Sockets.SocketException
            or MalformedInputException or NoiseHandshakeException or ProtocolNotSupportedException or OperationCanceledException
            or TimeoutException or DialBackoffException)
        {
            return false;
        }
    }

    internal static bool IsRelayed(Multiaddr address) => address.Components.Any(c => c.Protocol == MultiaddrProtocol.P2pCircuit);

    internal static IPAddress? ObservedIp(Multiaddr address)
    {
        var first = address.Components[0];
        if (first.Protocol != MultiaddrProtocol.Ip4 && first.Protocol != MultiaddrProtocol.Ip6)
        {
            return null;
        }

        var ip = new IPAddress(first.Value.Span);
        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }
}
