// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;

namespace Chhaya.Witness.Protocol;

/// <summary>
/// The request loop shared by this module's libp2p request–response protocols: one length-prefixed request
/// and one length-prefixed response per stream. The request is bounded before it is read, at most
/// <c>maxConcurrentRequests</c> are answered at once, up to <c>maxQueuedRequests</c> more wait at most
/// <c>queueWait</c> for a turn (the rest, and those whose wait runs out, are told the server is busy), each
/// request has a deadline covering reading and answering, and a malformed request is logged and refused
/// with a typed answer, never a crash: the server keeps serving other peers.
/// </summary>
/// <remarks>
/// The short queue exists because requests come in bursts: when a head is gossiped, every witness asks
/// for the same append-only proof within milliseconds. Refusing all but the first few at once sent the
/// rest back to their next poll, seconds later; a bounded wait answers them in turn, and the bound on
/// waiters keeps a flood of streams from piling up.
/// </remarks>
public abstract partial class RequestResponseServer : IDisposable
{
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _concurrency;
    private readonly TimeSpan _requestTimeout;
    private readonly int _maxRequestLength;
    private readonly int _maxQueued;
    private readonly TimeSpan _queueWait;
    private int _queued;

    /// <param name="protocolId">The libp2p protocol id served.</param>
    /// <param name="maxRequestLength">The longest request read; longer ones are refused before allocation.</param>
    /// <param name="logger">Logs refused requests.</param>
    /// <param name="maxConcurrentRequests">Requests answered at once.</param>
    /// <param name="requestTimeout">How long one request may take, reading and waiting included (30 s by default).</param>
    /// <param name="maxQueuedRequests">Requests that may wait for a turn (4 × <paramref name="maxConcurrentRequests"/> by default); more are told the server is busy.</param>
    /// <param name="queueWait">How long a request waits for a turn before it is told the server is busy (5 s by default).</param>
    protected RequestResponseServer(string protocolId, int maxRequestLength, ILogger logger, int maxConcurrentRequests, TimeSpan? requestTimeout, int? maxQueuedRequests = null, TimeSpan? queueWait = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocolId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRequestLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConcurrentRequests);
        ProtocolId = protocolId;
        _maxRequestLength = maxRequestLength;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _concurrency = new SemaphoreSlim(maxConcurrentRequests, maxConcurrentRequests);
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
        _maxQueued = maxQueuedRequests ?? 4 * maxConcurrentRequests;
        ArgumentOutOfRangeException.ThrowIfNegative(_maxQueued, nameof(maxQueuedRequests));
        _queueWait = queueWait ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(_queueWait, TimeSpan.Zero, nameof(queueWait));
    }

    /// <summary>Requests waiting for a turn right now.</summary>
    public int QueuedRequests => Volatile.Read(ref _queued);

    /// <summary>The protocol id this server answers.</summary>
    public string ProtocolId { get; }

    /// <summary>Registers the protocol handler on <paramref name="router"/>.</summary>
    public virtual void Register(ProtocolRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.Register(ProtocolId, HandleAsync);
    }

    /// <summary>The response to a request that fit the length bound.</summary>
    /// <exception cref="MalformedInputException">The request is malformed; it is refused with <see cref="Refusal"/>.</exception>
    protected abstract Task<byte[]> AnswerAsync(byte[] request, CancellationToken cancellationToken);

    /// <summary>The response telling a peer the server is busy.</summary>
    protected abstract byte[] Busy(string reason);

    /// <summary>The response refusing a malformed request.</summary>
    protected abstract byte[] Refusal(string reason);

    /// <summary>Handles one inbound stream (registered on the router by <see cref="Register"/>).</summary>
    protected async Task HandleAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        var stream = context.Stream;
        try
        {
            if (!await TryTakeTurnAsync(timeout.Token).ConfigureAwait(false))
            {
                await DirectoryProtocol.WriteMessageAsync(stream, Busy("too many requests; try again shortly"), timeout.Token).ConfigureAwait(false);
                return;
            }

            try
            {
                var request = await DirectoryProtocol.ReadMessageAsync(stream, _maxRequestLength, timeout.Token).ConfigureAwait(false);
                var response = await AnswerAsync(request, timeout.Token).ConfigureAwait(false);
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
            LogBadRequest(_logger, ProtocolId, context.Connection.RemotePeer, e.Message);
            await TryRefuseAsync(stream, e.Message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException)
        {
            // The peer went away or was too slow: drop the stream, keep serving others.
            stream.Reset();
        }
    }

    /// <summary>A free slot at once, else a bounded wait in a bounded queue; false means "busy".</summary>
    private async Task<bool> TryTakeTurnAsync(CancellationToken cancellationToken)
    {
        if (await _concurrency.WaitAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        try
        {
            return await _concurrency.WaitAsync(_queueWait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    private async Task TryRefuseAsync(Stream stream, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await DirectoryProtocol.WriteMessageAsync(stream, Refusal(reason), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Nothing more to tell a peer that is gone.
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _concurrency.Dispose();
        }
    }

    [LoggerMessage(EventId = 5210, Level = LogLevel.Information, Message = "Refused a malformed {Protocol} request from {Peer}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string protocol, Chhaya.P2p.Identity.PeerId peer, string reason);
}
