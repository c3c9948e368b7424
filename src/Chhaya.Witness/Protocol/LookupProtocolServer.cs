// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Services;
using Chhaya.Vkd.Wire;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness.Protocol;

/// <summary>
/// Serves lookup proofs for the directories this node runs on <c>/chhaya/vkd/lookup/1.0.0</c>: the latest
/// signed head, the lookup proof at that epoch and, through <c>findCertificate</c>, a stored quorum
/// certificate for it. Requests are bounded (label length, a limit on concurrent requests, a timeout), and a
/// bad request gets a typed refusal, never a crash.
/// </summary>
public sealed partial class LookupProtocolServer : IDisposable
{
    // A publish between reading the head and building the proof would pair them wrongly; retry a few times.
    private const int ConsistentReadAttempts = 4;

    private readonly Dictionary<Digest, VkdDirectory> _directories;
    private readonly Func<Digest, ulong, CancellationToken, Task<QuorumCertificate?>> _findCertificate;
    private readonly ILogger<LookupProtocolServer> _logger;
    private readonly SemaphoreSlim _concurrency;
    private readonly TimeSpan _requestTimeout;

    /// <param name="directories">The directories served, by id.</param>
    /// <param name="findCertificate">Finds a stored quorum certificate for a directory's epoch, or null.</param>
    /// <param name="logger">Logs refused requests.</param>
    /// <param name="maxConcurrentRequests">Requests answered at once; more get <see cref="LookupResponseStatus.Busy"/>.</param>
    /// <param name="requestTimeout">How long one request may take, reading included.</param>
    public LookupProtocolServer(
        IEnumerable<(Digest Id, VkdDirectory Directory)> directories,
        Func<Digest, ulong, CancellationToken, Task<QuorumCertificate?>> findCertificate,
        ILogger<LookupProtocolServer> logger,
        int maxConcurrentRequests = 8,
        TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(directories);
        _directories = directories.ToDictionary(d => d.Id, d => d.Directory);
        _findCertificate = findCertificate ?? throw new ArgumentNullException(nameof(findCertificate));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _concurrency = new SemaphoreSlim(maxConcurrentRequests, maxConcurrentRequests);
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Registers the protocol handler on <paramref name="router"/>.</summary>
    public void Register(ProtocolRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.Register(LookupProtocol.ProtocolId, HandleAsync);
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
                await DirectoryProtocol.WriteMessageAsync(stream, LookupProtocol.Response(LookupResponseStatus.Busy, "too many requests; try again shortly"), timeout.Token).ConfigureAwait(false);
                return;
            }

            try
            {
                var request = await DirectoryProtocol.ReadMessageAsync(stream, LookupProtocol.MaxRequestLength, timeout.Token).ConfigureAwait(false);
                var response = await AnswerAsync(LookupProtocol.DecodeRequest(request), timeout.Token).ConfigureAwait(false);
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

    private async Task<byte[]> AnswerAsync(LookupRequest request, CancellationToken cancellationToken)
    {
        if (!_directories.TryGetValue(request.DirectoryId, out var directory))
        {
            return LookupProtocol.Response(LookupResponseStatus.NotFound, "this node does not run that directory");
        }

        for (var attempt = 0; attempt < ConsistentReadAttempts; attempt++)
        {
            var head = directory.LatestHead;
            byte[] proof;
            try
            {
                proof = AkdProofCodec.Encode(directory.GetLookupProof(request.Label.Span));
            }
            catch (KeyNotFoundException)
            {
                return LookupProtocol.Response(LookupResponseStatus.NotFound, "the label has never been published");
            }

            if (directory.LatestHead.Head.Epoch != head.Head.Epoch)
            {
                continue;
            }

            var certificate = await _findCertificate(request.DirectoryId, head.Head.Epoch, cancellationToken).ConfigureAwait(false);
            var encoded = certificate?.Encode();
            if (proof.Length > LookupProtocol.MaxProofLength || encoded?.Length > LookupProtocol.MaxCertificateLength)
            {
                return LookupProtocol.Response(LookupResponseStatus.NotFound, "the proof or certificate is over the protocol's bounds");
            }

            return LookupProtocol.EncodeAnswer(new LookupAnswer(head.Encode(), proof, encoded));
        }

        return LookupProtocol.Response(LookupResponseStatus.Busy, "the directory is publishing; try again shortly");
    }

    private static async Task TryRefuseAsync(Stream stream, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await DirectoryProtocol.WriteMessageAsync(stream, LookupProtocol.Response(LookupResponseStatus.BadRequest, reason), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Nothing more to tell a peer that is gone.
        }
    }

    public void Dispose() => _concurrency.Dispose();

    [LoggerMessage(EventId = 5211, Level = LogLevel.Information, Message = "Refused a malformed lookup request from {Peer}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, Chhaya.P2p.Identity.PeerId peer, string reason);
}
