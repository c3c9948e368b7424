// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Threading.Channels;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Sealed;
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;

namespace Chhaya.Messaging.Transport;

/// <summary>
/// The messaging protocols on a <see cref="Libp2pHost"/>: <c>/chhaya/msg/1.0.0</c> receives sealed envelopes
/// (for the local user, or, if this node is their mailbox, for someone else) and <c>/chhaya/prekeys/1.0.0</c>
/// serves the local user's prekey bundle. Every stream is bounded in envelopes and in time.
/// </summary>
public sealed partial class MessagingService
{
    /// <summary>Most envelopes accepted on one stream.</summary>
    public const int MaxEnvelopesPerStream = 64;

    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(30);

    private readonly Libp2pHost _host;
    private readonly MessagingEndpoint? _endpoint;
    private readonly PrekeyStore? _prekeys;
    private readonly Mailbox? _mailbox;
    private readonly ILogger _logger;
    private const int ReceivedCapacity = 1024;

    private readonly Channel<ReceiveResult> _received = Channel.CreateBounded<ReceiveResult>(new BoundedChannelOptions(ReceivedCapacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly byte[]? _ownTag;

    /// <param name="host">The libp2p host to register on.</param>
    /// <param name="endpoint">The local user's engine (null on a node that only relays for others).</param>
    /// <param name="prekeys">The local user's prekeys, served on request (null to not serve).</param>
    /// <param name="mailbox">Store-and-forward for other recipients (null when this node is nobody's mailbox).</param>
    /// <param name="logger">Logger.</param>
    public MessagingService(Libp2pHost host, MessagingEndpoint? endpoint, PrekeyStore? prekeys, Mailbox? mailbox, ILogger<MessagingService> logger)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _endpoint = endpoint;
        _prekeys = prekeys;
        _mailbox = mailbox;
        _ownTag = endpoint is null ? null : SealedEnvelope.TagOf(endpoint.Identity.PublicKey);
    }

    /// <summary>
    /// When set, every envelope for the local user goes to this function instead of to <see cref="Received"/>; it
    /// receives the envelope and keeps (saves) what it carried, and returns true only once that is done. The sender
    /// is answered after it returns: <see cref="EnvelopeFraming.Accepted"/> for true, else
    /// <see cref="EnvelopeFraming.Refused"/> (the sender's outbox retries). So an acknowledged message is on disk.
    /// </summary>
    public Func<byte[], CancellationToken, Task<bool>>? Inbound { get; init; }

    /// <summary>What the local user received, in arrival order (cover traffic excluded), when <see cref="Inbound"/> is not set.</summary>
    public ChannelReader<ReceiveResult> Received => _received.Reader;

    /// <summary>Registers the protocol handlers on the host.</summary>
    public void Register()
    {
        _host.Router.Register(MessagingProtocols.Message, HandleMessagesAsync);
        if (_prekeys is not null)
        {
            _host.Router.Register(MessagingProtocols.Prekeys, HandlePrekeysAsync);
        }
    }

    /// <summary>Delivers one envelope over a new stream; true when the peer accepted it.</summary>
    public async Task<bool> SendAsync(Libp2pConnection connection, byte[] envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StreamTimeout);
        var stream = await _host.OpenStreamAsync(connection, [MessagingProtocols.Message], timeout.Token).ConfigureAwait(false);
        await using var disposeStream = stream.ConfigureAwait(false);
        await EnvelopeFraming.WriteFrameAsync(stream.Stream, envelope, timeout.Token).ConfigureAwait(false);
        var status = new byte[1];
        await stream.Stream.ReadExactlyAsync(status, timeout.Token).ConfigureAwait(false);
        await stream.Stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
        return status[0] == EnvelopeFraming.Accepted;
    }

    /// <summary>Fetches the peer's prekey bundle (decoded, not yet verified: Pqxdh.Initiate verifies it).</summary>
    /// <exception cref="MalformedInputException">The answer is not a well-formed bundle.</exception>
    public async Task<PrekeyBundle> FetchBundleAsync(Libp2pConnection connection, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StreamTimeout);
        var stream = await _host.OpenStreamAsync(connection, [MessagingProtocols.Prekeys], timeout.Token).ConfigureAwait(false);
        await using var disposeStream = stream.ConfigureAwait(false);
        await stream.Stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
        var frame = await EnvelopeFraming.ReadBoundedAsync(stream.Stream, PrekeyBundle.MaxEncodedLength, timeout.Token).ConfigureAwait(false)
            ?? throw new MalformedInputException("The peer closed the prekey stream without a bundle.");
        return PrekeyBundle.Decode(frame);
    }

    private async Task HandleMessagesAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StreamTimeout);
        try
        {
            for (var i = 0; i < MaxEnvelopesPerStream; i++)
            {
                var envelope = await EnvelopeFraming.ReadEnvelopeAsync(context.Stream, timeout.Token).ConfigureAwait(false);
                if (envelope is null)
                {
                    return;
                }

                var status = await ProcessAsync(envelope, timeout.Token).ConfigureAwait(false);
                await context.Stream.WriteAsync(new[] { status }, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (MalformedInputException e)
        {
            LogBadStream(_logger, context.Connection.RemotePeer, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogBadStream(_logger, context.Connection.RemotePeer, "stream timed out");
        }
    }

    private async Task<byte> ProcessAsync(byte[] envelope, CancellationToken cancellationToken)
    {
        byte[] tag;
        try
        {
            tag = SealedEnvelope.PeekRecipient(envelope);
        }
        catch (MalformedInputException e)
        {
            LogRefused(_logger, e);
            return EnvelopeFraming.Refused;
        }

        if (_endpoint is not null && tag.AsSpan().SequenceEqual(_ownTag))
        {
            if (Inbound is { } inbound)
            {
                return await inbound(envelope, cancellationToken).ConfigureAwait(false) ? EnvelopeFraming.Accepted : EnvelopeFraming.Refused;
            }

            if (_received.Reader.Count >= ReceivedCapacity)
            {
                // The application is not keeping up: refuse before the ratchet consumes the message, so the
                // sender's outbox retries it later instead of it being decrypted and then dropped.
                return EnvelopeFraming.Refused;
            }

            try
            {
                var result = _endpoint.Receive(envelope);
                if (result.Outcome != ReceiveOutcome.Cover)
                {
                    _received.Writer.TryWrite(result);
                }

                return EnvelopeFraming.Accepted;
            }
            catch (Exception e) when (e is MalformedInputException or SealedSenderException or HandshakeException or RatchetException)
            {
                LogRefused(_logger, e);
                return EnvelopeFraming.Refused;
            }
        }

        if (_mailbox is null)
        {
            return EnvelopeFraming.Refused;
        }

        try
        {
            // Accepted only once the mailbox has stored it.
            return await _mailbox.TryDepositAsync(envelope, cancellationToken).ConfigureAwait(false) ? EnvelopeFraming.Accepted : EnvelopeFraming.Refused;
        }
        catch (IOException e)
        {
            LogRefused(_logger, e);
            return EnvelopeFraming.Refused;
        }
    }

    private async Task HandlePrekeysAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StreamTimeout);
        var bundle = _prekeys!.HandOutBundle().Encode();
        await EnvelopeFraming.WriteFrameAsync(context.Stream, bundle, timeout.Token).ConfigureAwait(false);
        await context.Stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Refused an envelope")]
    private static partial void LogRefused(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Dropped a messaging stream from {Peer}: {Reason}")]
    private static partial void LogBadStream(ILogger logger, Chhaya.P2p.Identity.PeerId peer, string reason);
}
