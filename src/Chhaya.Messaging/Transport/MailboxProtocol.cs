// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Wire;
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;

namespace Chhaya.Messaging.Transport;

/// <summary>
/// <c>/chhaya/mailbox/1.0.0</c>: a recipient collects what a mailbox peer holds for it.
/// <code>
/// request  = u32 len=104 ‖ identity key (32) ‖ i64 Unix ms ‖ Ed25519 signature (64) over Mailbox.CollectStatement
/// response = u8 status (0 = accepted, 1 = refused) ‖ (u32 len ‖ envelope)* ‖ end of stream
/// </code>
/// A collection that verifies also registers the recipient with the mailbox (<see cref="Mailbox.Serve"/>): a user
/// names its mailbox peers in its prekey record and collects from each once when it starts, so the mailboxes hold
/// its envelopes from then on. The envelopes handed over are forgotten by the mailbox.
/// </summary>
public sealed partial class MailboxProtocol(Libp2pHost host, Mailbox? mailbox, ILogger<MailboxProtocol> logger)
{
    private const int RequestLength = Ed25519.PublicKeyLength + 8 + Ed25519.SignatureLength;
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Registers the server side, when this node keeps a mailbox.</summary>
    public void Register()
    {
        if (mailbox is not null)
        {
            host.Router.Register(MessagingProtocols.Mailbox, HandleAsync);
        }
    }

    /// <summary>
    /// Collects (and registers with) the mailbox at <paramref name="connection"/> for <paramref name="identity"/>.
    /// Returns the envelopes it held; they are not yet opened.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The mailbox refused the request (clock skew, replay, not our key).</exception>
    /// <exception cref="MalformedInputException">The answer is malformed.</exception>
    public async Task<IReadOnlyList<byte[]>> CollectAsync(Libp2pConnection connection, IdentityKeyPair identity, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(time);
        var unixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var signature = identity.Sign(Mailbox.CollectStatement(connection.RemotePeer.Bytes, identity.PublicKey, unixMs));
        var request = new WireWriter(RequestLength).Fixed(identity.PublicKey).Int64(unixMs).Fixed(signature).ToArray();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StreamTimeout);
        var stream = await host.OpenStreamAsync(connection, [MessagingProtocols.Mailbox], timeout.Token).ConfigureAwait(false);
        await using var disposeStream = stream.ConfigureAwait(false);
        await EnvelopeFraming.WriteFrameAsync(stream.Stream, request, timeout.Token).ConfigureAwait(false);
        await stream.Stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
        var status = new byte[1];
        if (await stream.Stream.ReadAtLeastAsync(status, 1, throwOnEndOfStream: false, timeout.Token).ConfigureAwait(false) == 0)
        {
            throw new MalformedInputException("The mailbox closed the stream without an answer.");
        }

        if (status[0] != EnvelopeFraming.Accepted)
        {
            throw new UnauthorizedAccessException("The mailbox refused the collection request.");
        }

        var envelopes = new List<byte[]>();
        var limit = new MailboxOptions().MaxEnvelopesPerRecipient;
        while (await EnvelopeFraming.ReadEnvelopeAsync(stream.Stream, timeout.Token).ConfigureAwait(false) is { } envelope)
        {
            if (envelopes.Count >= limit)
            {
                throw new MalformedInputException($"The mailbox sent more than {limit} envelopes.");
            }

            envelopes.Add(envelope);
        }

        return envelopes;
    }

    private async Task HandleAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StreamTimeout);
        IReadOnlyList<byte[]> envelopes;
        try
        {
            var request = await EnvelopeFraming.ReadBoundedAsync(context.Stream, RequestLength, timeout.Token).ConfigureAwait(false);
            if (request is null || request.Length != RequestLength)
            {
                throw new MalformedInputException($"A collection request is {RequestLength} bytes.");
            }

            var reader = new WireReader(request);
            var identityKey = reader.ReadFixed(Ed25519.PublicKeyLength, "identity key").ToArray();
            var unixMs = reader.ReadInt64("timestamp");
            var signature = reader.ReadFixed(Ed25519.SignatureLength, "signature");
            envelopes = mailbox!.Collect(identityKey, unixMs, signature);
            mailbox.Serve(identityKey);
        }
        catch (Exception e) when (e is MalformedInputException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogRefused(logger, context.Connection.RemotePeer, e.Message);
            await context.Stream.WriteAsync(new[] { EnvelopeFraming.Refused }, timeout.Token).ConfigureAwait(false);
            await context.Stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
            return;
        }

        await context.Stream.WriteAsync(new[] { EnvelopeFraming.Accepted }, timeout.Token).ConfigureAwait(false);
        foreach (var envelope in envelopes)
        {
            await EnvelopeFraming.WriteFrameAsync(context.Stream, envelope, timeout.Token).ConfigureAwait(false);
        }

        await context.Stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
        if (envelopes.Count > 0)
        {
            LogCollected(logger, envelopes.Count, context.Connection.RemotePeer);
        }
    }

    [LoggerMessage(EventId = 8111, Level = LogLevel.Information, Message = "Refused a mailbox collection from {Peer}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Chhaya.P2p.Identity.PeerId peer, string reason);

    [LoggerMessage(EventId = 8112, Level = LogLevel.Information, Message = "Handed {Count} held envelope(s) to {Peer}")]
    private static partial void LogCollected(ILogger logger, int count, Chhaya.P2p.Identity.PeerId peer);
}
