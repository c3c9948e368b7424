// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Wire;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness.Protocol;

/// <summary>
/// Serves the heads and append-only proofs of directories this node runs on <c>/chhaya/vkd/audit/1.0.0</c>.
/// Requests are bounded (fixed size, proof spans of at most <see cref="DirectoryProtocol.MaxProofSpan"/>
/// epochs, a limit on concurrent requests), and a bad request gets a typed refusal, never a crash.
/// </summary>
public sealed partial class DirectoryProtocolServer : IDisposable
{
    private readonly Dictionary<Digest, VkdDirectory> _directories;
    private readonly ILogger<DirectoryProtocolServer> _logger;
    private readonly SemaphoreSlim _concurrency;
    private readonly TimeSpan _requestTimeout;

    public DirectoryProtocolServer(IEnumerable<(Digest Id, VkdDirectory Directory)> directories, ILogger<DirectoryProtocolServer> logger, int maxConcurrentRequests = 8, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(directories);
        _directories = directories.ToDictionary(d => d.Id, d => d.Directory);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _concurrency = new SemaphoreSlim(maxConcurrentRequests, maxConcurrentRequests);
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Registers the protocol handler on <paramref name="router"/>.</summary>
    public void Register(ProtocolRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.Register(DirectoryProtocol.ProtocolId, HandleAsync);
    }

    private async Task HandleAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        var stream = context.Stream;
        try
        {
            if (!await _concurrency.WaitAsync(TimeSpan.Zero, timeout.Token).ConfigureAwait(false))
            {
                await DirectoryProtocol.WriteMessageAsync(stream, DirectoryProtocol.Response(DirectoryResponseStatus.Busy, "too many requests; try again shortly"), timeout.Token).ConfigureAwait(false);
                return;
            }

            try
            {
                var request = await DirectoryProtocol.ReadMessageAsync(stream, DirectoryProtocol.RequestLength, timeout.Token).ConfigureAwait(false);
                var response = await AnswerAsync(DirectoryProtocol.DecodeRequest(request), timeout.Token).ConfigureAwait(false);
                await DirectoryProtocol.WriteMessageAsync(stream, response, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _concurrency.Release();
            }

            await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (MalformedInputException e)
        {
            LogBadRequest(_logger, context.Connection.RemotePeer, e.Message);
            await TryRefuseAsync(stream, e.Message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException)
        {
            // The peer went away or was too slow: drop the stream, keep serving others.
            stream.Reset();
        }
    }

    private async Task<byte[]> AnswerAsync(DirectoryRequest request, CancellationToken cancellationToken)
    {
        if (!_directories.TryGetValue(request.DirectoryId, out var directory))
        {
            return DirectoryProtocol.Response(DirectoryResponseStatus.NotFound, "this node does not run that directory");
        }

        var latest = directory.LatestHead.Head.Epoch;
        switch (request.Kind)
        {
            case DirectoryRequestKind.Head:
                var head = request.From <= latest ? await directory.GetHeadAsync(request.From, cancellationToken).ConfigureAwait(false) : null;
                return head is null
                    ? DirectoryProtocol.Response(DirectoryResponseStatus.NotFound, $"no epoch {request.From}; the latest is {latest}")
                    : DirectoryProtocol.Response(DirectoryResponseStatus.Ok, head.Encode());

            default:
                if (request.From >= request.To || request.To > latest)
                {
                    return DirectoryProtocol.Response(DirectoryResponseStatus.BadRequest, $"a proof runs from an earlier to a later epoch, at most the latest ({latest})");
                }

                if (request.To - request.From > DirectoryProtocol.MaxProofSpan)
                {
                    return DirectoryProtocol.Response(DirectoryResponseStatus.BadRequest, $"a proof spans at most {DirectoryProtocol.MaxProofSpan} epochs");
                }

                return DirectoryProtocol.Response(DirectoryResponseStatus.Ok, AkdProofCodec.Encode(directory.GetAppendOnlyProof(request.From, request.To)));
        }
    }

    private static async Task TryRefuseAsync(Stream stream, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await DirectoryProtocol.WriteMessageAsync(stream, DirectoryProtocol.Response(DirectoryResponseStatus.BadRequest, reason), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Nothing more to tell a peer that is gone.
        }
    }

    public void Dispose() => _concurrency.Dispose();

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Refused a malformed directory request from {Peer}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, Chhaya.P2p.Identity.PeerId peer, string reason);
}
