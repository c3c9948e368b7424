// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Crypto;
using Chhaya.Messaging.Identity;
using Chhaya.Messaging.Wire;
using Chhaya.P2p.Hosting;
using Chhaya.Safety;
using Microsoft.Extensions.Logging;

namespace Chhaya.Messaging.Transport;

/// <summary>
/// <c>/chhaya/mailbox/2.0.0</c>: a recipient collects what a mailbox peer holds for it.
/// <code>
/// request  = u32 len=112 ‖ identity key (32) ‖ i64 Unix ms ‖ i64 acknowledged-through ‖ Ed25519 signature (64)
///            over Mailbox.CollectStatement
/// response = u8 status (0 = accepted, 1 = refused) ‖ (i64 sequence ‖ u32 len ‖ envelope)* ‖ end of stream
/// </code>
/// A collection that verifies also registers the recipient with the mailbox: a user names its mailbox peers in its
/// prekey record and collects from each every poll interval. The mailbox forgets an envelope only when a later
/// request acknowledges its sequence number, which the collector sends once it has saved what the envelope carried;
/// so a crash of the collector between collecting and saving loses nothing (the envelope comes again, and a copy
/// that was already saved is refused by the ratchet as a replay).
/// </summary>
public sealed partial class MailboxProtocol(Libp2pHost host, Mailbox? mailbox, ILogger<MailboxProtocol> logger)
{
    private const int RequestLength = Ed25519.PublicKeyLength + 8 + 8 + Ed25519.SignatureLength;
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
    /// Collects (and registers with) the mailbox at <paramref name="connection"/> for <paramref name="identity"/>,
    /// acknowledging every envelope up to sequence <paramref name="acknowledgedThrough"/> that it handed over before.
    /// Returns the envelopes it holds, in increasing sequence order; they are not yet opened.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The mailbox refused the request (clock skew, replay, not our key).</exception>
    /// <exception cref="MalformedInputException">The answer is malformed (too many envelopes, sequence numbers not increasing).</exception>
    public async Task<IReadOnlyList<HeldEnvelope>> CollectAsync(Libp2pConnection connection, IdentityKeyPair identity, long acknowledgedThrough, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(time);
        var unixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var signature = identity.Sign(Mailbox.CollectStatement(connection.RemotePeer.Bytes, identity.PublicKey, unixMs, acknowledgedThrough));
        var request = new WireWriter(RequestLength).Fixed(identity.PublicKey).Int64(unixMs).Int64(acknowledgedThrough).Fixed(signature).ToArray();

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

        var envelopes = new List<HeldEnvelope>();
        var limit = new MailboxOptions().MaxEnvelopesPerRecipient;
        var sequenceBytes = new byte[8];
        var previous = 0L;
        while (true)
        {
            var read = await stream.Stream.ReadAtLeastAsync(sequenceBytes, 8, throwOnEndOfStream: false, timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return envelopes;
            }

            if (read < 8)
            {
                throw new MalformedInputException("The mailbox's answer ended inside a sequence number.");
            }

            var sequence = BinaryPrimitives.ReadInt64BigEndian(sequenceBytes);
            if (sequence <= previous)
            {
                throw new MalformedInputException("The mailbox's sequence numbers are not increasing.");
            }

            if (envelopes.Count >= limit)
            {
                throw new MalformedInputException($"The mailbox sent more than {limit} envelopes.");
            }

            var envelope = await EnvelopeFraming.ReadEnvelopeAsync(stream.Stream, timeout.Token).ConfigureAwait(false)
                ?? throw new MalformedInputException("The mailbox's answer ended after a sequence number.");
            envelopes.Add(new HeldEnvelope(sequence, envelope));
            previous = sequence;
        }
    }

    private async Task HandleAsync(Libp2pStreamContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StreamTimeout);
        IReadOnlyList<HeldEnvelope> envelopes;
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
            var acknowledged = reader.ReadInt64("acknowledged sequence");
            var signature = reader.ReadFixed(Ed25519.SignatureLength, "signature").ToArray();
            envelopes = await mailbox!.CollectAsync(identityKey, unixMs, acknowledged, signature, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MalformedInputException or UnauthorizedAccessException or InvalidOperationException or IOException)
        {
            LogRefused(logger, context.Connection.RemotePeer, e.Message);
            await context.Stream.WriteAsync(new[] { EnvelopeFraming.Refused }, timeout.Token).ConfigureAwait(false);
            await context.Stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
            return;
        }

        await context.Stream.WriteAsync(new[] { EnvelopeFraming.Accepted }, timeout.Token).ConfigureAwait(false);
        var sequence = new byte[8];
        foreach (var held in envelopes)
        {
            BinaryPrimitives.WriteInt64BigEndian(sequence, held.Sequence);
            await context.Stream.WriteAsync(sequence, timeout.Token).ConfigureAwait(false);
            await EnvelopeFraming.WriteFrameAsync(context.Stream, held.Envelope, timeout.Token).ConfigureAwait(false);
        }

        await context.Stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
        if (envelopes.Count > 0)
        {
            LogCollected(logger, envelopes.Count, context.Connection.RemotePeer);
        }
    }

    [LoggerMessage(EventId = 8111, Level = LogLevel.Information, Message = "Refused a mailbox collection from {Peer}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Chhaya.P2p.Identity.PeerId peer, string reason);

    [LoggerMessage(EventId = 8112, Level = LogLevel.Information, Message = "Handed {Count} held envelope(s) to {Peer}; they stay until acknowledged")]
    private static partial void LogCollected(ILogger logger, int count, Chhaya.P2p.Identity.PeerId peer);
}
