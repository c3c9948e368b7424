// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Messaging;
using Chhaya.Messaging.Conversations;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Ratchet;
using Chhaya.Messaging.Sealed;
using Chhaya.Safety;

namespace Chhaya.Node.Messaging;

/// <summary>What became of one envelope for the local user.</summary>
internal enum KeepOutcome
{
    /// <summary>Received and saved (or cover traffic): the sender may be told it arrived.</summary>
    Kept,

    /// <summary>Not for us, not authentic, a replay or otherwise unusable: refused for good.</summary>
    Refused,

    /// <summary>Received but not saved (disk, database): refused, so the sender or mailbox offers it again.</summary>
    Failed,
}

/// <summary>Receiving: every envelope is saved before anyone is told it arrived.</summary>
public sealed partial class NodeMessenger
{
    /// <summary>
    /// Receives one envelope for the local user and saves everything it changed (the session snapshot in the log
    /// store, then the inbox, counters, base keys and outbox in the sealed state file, whose atomic rename is the
    /// commit point) before returning <see cref="KeepOutcome.Kept"/>. Only then is the sender answered or the mailbox
    /// acknowledged. A crash before the commit leaves the previous state, naming the previous session snapshot, so
    /// the envelope offered again is read again.
    /// </summary>
    internal async Task<KeepOutcome> ReceiveAndKeepAsync(byte[] envelope, CancellationToken cancellationToken)
    {
        // Learn the (authenticated) sender first, so the directory check (perhaps a network lookup) happens before
        // the gate is taken and before the ratchet moves.
        SenderCertificate sender;
        try
        {
            var opened = SealedSender.Open(_endpoint!.Identity, envelope, _time.GetUtcNow().ToUnixTimeSeconds());
            if (opened.Type == SealedContentType.Cover)
            {
                return KeepOutcome.Kept;
            }

            sender = opened.Sender;
        }
        catch (Exception e) when (e is MalformedInputException or SealedSenderException)
        {
            LogEnvelopeRefused(_logger, e.Message);
            return KeepOutcome.Refused;
        }

        var verified = await IsVerifiedSenderAsync(sender, cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ReceiveResult result;
            try
            {
                result = _endpoint.Receive(envelope);
            }
            catch (Exception e) when (e is MalformedInputException or SealedSenderException or HandshakeException or RatchetException)
            {
                LogEnvelopeRefused(_logger, e.Message);
                return KeepOutcome.Refused;
            }

            try
            {
                await KeepLockedAsync(result, verified, cancellationToken).ConfigureAwait(false);
                return KeepOutcome.Kept;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException
                or Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException)
            {
                // The envelope is not acknowledged, so it comes again; until this node restarts (and reloads the last
                // saved state) a copy is refused by the ratchet as a replay, but the message already sits in the
                // in-memory inbox and is written with the next state that is saved.
                LogKeepFailed(_logger, e.Message);
                return KeepOutcome.Failed;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Saves what <paramref name="result"/> changed: inbox entries, a delivery receipt back, receipts for our messages. Under the gate.</summary>
    private async Task KeepLockedAsync(ReceiveResult result, bool verified, CancellationToken cancellationToken)
    {
        if (result.Sender is not { } sender || result.Outcome == ReceiveOutcome.Cover)
        {
            return;
        }

        var peerHex = Convert.ToHexString(sender.IdentityKey);
        if (!_state.Routes.ContainsKey(peerHex) && TryPeerId(sender.PeerId) is { } peer)
        {
            _state.Routes[peerHex] = new ContactRoute(sender.Handle, peer.ToString(), []);
        }

        if (result.Outcome == ReceiveOutcome.Message)
        {
            AddToInbox(sender, verified, result.Released);
            if (result.Released.Count > 0)
            {
                var receipt = _endpoint!.SendReceipt(sender.IdentityKey, ContentKind.Delivered, [.. result.Released.Select(m => m.MessageId).Take(ConversationContent.MaxReceiptIds)]);
                _outbox.Enqueue(peerHex, receipt);
            }
        }
        else if (result.Outcome == ReceiveOutcome.Receipt)
        {
            var ids = result.ReceiptFor.Select(Convert.ToHexStringLower).ToHashSet(StringComparer.Ordinal);
            foreach (var sent in _state.Sent.Where(s => ids.Contains(s.MessageId)))
            {
                sent.Status = result.ReceiptKind == ContentKind.Read ? "read" : "acknowledged";
            }
        }

        // The session snapshot first, then the state that names it: a crash in between leaves the state naming the
        // previous snapshot, which is loaded on restart.
        await SaveSessionAsync(sender.IdentityKey, cancellationToken).ConfigureAwait(false);
        SaveState();
    }

    private void AddToInbox(SenderCertificate sender, bool verified, IReadOnlyList<InboundMessage> messages)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var fromIdentity = Convert.ToHexStringLower(sender.IdentityKey);
        foreach (var message in messages)
        {
            var messageId = Convert.ToHexStringLower(message.MessageId);

            // After a restart the conversation's memory of message ids is empty: a resent copy of a message that is
            // already in the inbox is dropped here instead.
            if (_state.Inbox.Exists(e => e.MessageId == messageId && e.FromIdentity == fromIdentity))
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(message.Body);
            _state.Inbox.Add(new InboxEntry(_state.NextInboxId++, sender.Handle, fromIdentity, verified, messageId, text, message.SentAtUnixMs, now, message.Late));
            LogReceived(_logger, sender.Handle, verified);
        }
    }

    [LoggerMessage(EventId = 8211, Level = LogLevel.Information, Message = "Refused an envelope: {Reason}")]
    private static partial void LogEnvelopeRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 8212, Level = LogLevel.Error, Message = "A received message could not be saved and was not acknowledged (it will be offered again): {Reason}")]
    private static partial void LogKeepFailed(ILogger logger, string reason);
}
