// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text;
using Chhaya.Messaging;
using Chhaya.Messaging.Prekeys;
using Chhaya.Messaging.Sealed;
using Chhaya.Messaging.Transport;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;
using Chhaya.Safety;

namespace Chhaya.Node.Messaging;

/// <summary>The messenger's background work: receiving, retrying the outbox, collecting mailboxes, publishing prekeys, cover traffic.</summary>
public sealed partial class NodeMessenger
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _delivering = new(1, 1);
    private readonly Dictionary<long, string> _outboxMessages = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _registeredMailboxes = new(StringComparer.Ordinal);
    private bool _prekeyRecordPublished;

    /// <summary>True when the directory binds the sender's claimed handle to the sender's identity key (pinned, no pending change).</summary>
    private async Task<bool> IsVerifiedSenderAsync(SenderCertificate sender, CancellationToken cancellationToken)
    {
        try
        {
            var pin = await _resolver!.GetPinAsync(sender.Handle, cancellationToken).ConfigureAwait(false);
            if (pin is null)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                await _resolver.ResolveAsync(sender.Handle, timeout.Token).ConfigureAwait(false);
                pin = await _resolver.GetPinAsync(sender.Handle, cancellationToken).ConfigureAwait(false);
            }

            return pin is { SendingBlocked: false } && ConstantTime.Equals(pin.Binding.IdentityKey, sender.IdentityKey);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private async Task PollLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(_options.PollIntervalSeconds, 0.2, 3600)), _time);
        try
        {
            do
            {
                await KeepGoingAsync(() => CollectMailboxesAsync(cancellationToken), "collecting from mailboxes").ConfigureAwait(false);
                await KeepGoingAsync(() => DeliverOutboxAsync(cancellationToken), "delivering the outbox").ConfigureAwait(false);
                await KeepGoingAsync(() => ReleaseStalledAsync(cancellationToken), "releasing held messages").ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Tries every due envelope: straight to the recipient's node, else to one of its mailboxes.</summary>
    private async Task DeliverOutboxAsync(CancellationToken cancellationToken)
    {
        await _delivering.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (delivered, _, expired) = await _outbox.DeliverDueAsync(DeliverAsync, cancellationToken).ConfigureAwait(false);
            if (delivered + expired > 0)
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    SaveState();
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        finally
        {
            _delivering.Release();
        }
    }

    private async Task<bool> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ContactRoute? route;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            route = _state.Routes.GetValueOrDefault(entry.Recipient);
        }
        finally
        {
            _gate.Release();
        }

        if (route is null || TryPeerId(route.PeerId) is not { } peer)
        {
            return false;
        }

        if (await TrySendAsync(peer, entry.Envelope, cancellationToken).ConfigureAwait(false))
        {
            await MarkSentAsync(entry.Id, "delivered", cancellationToken).ConfigureAwait(false);
            return true;
        }

        foreach (var mailbox in route.Mailboxes)
        {
            if (TryPeerId(mailbox) is { } mailboxPeer && await TrySendAsync(mailboxPeer, entry.Envelope, cancellationToken).ConfigureAwait(false))
            {
                LogDeposited(_logger, route.Handle, mailboxPeer);
                await MarkSentAsync(entry.Id, "in-mailbox", cancellationToken).ConfigureAwait(false);
                return true;
            }
        }

        return false;
    }

    /// <summary>One delivery attempt over <c>/chhaya/msg/1.0.0</c>; false when the peer cannot be reached or refuses.</summary>
    private async Task<bool> TrySendAsync(PeerId peer, byte[] envelope, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _p2p.ConnectToPeerAsync(peer, PeerTimeout, cancellationToken).ConfigureAwait(false);
            return connection is not null && await _service!.SendAsync(connection, envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or MalformedInputException or InvalidOperationException or EndOfStreamException
            or System.Net.Sockets.SocketException or Chhaya.P2p.Hosting.DialBackoffException or ObjectDisposedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private async Task MarkSentAsync(long outboxId, string status, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_outboxMessages.Remove(outboxId, out var messageId)
                && _state.Sent.FindLast(s => s.MessageId == messageId) is { Status: "queued" } sent)
            {
                sent.Status = status;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Collects from every configured mailbox (which also keeps this user registered with it). Each envelope is
    /// received and saved before the next; the highest sequence number handled is saved and sent as the
    /// acknowledgement with the next collection, and only then does the mailbox delete those envelopes.
    /// </summary>
    private async Task CollectMailboxesAsync(CancellationToken cancellationToken)
    {
        foreach (var address in _mailboxAddresses)
        {
            var mailboxKey = address.PeerId!.ToString();
            long acknowledged;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                acknowledged = _state.MailboxAcks.GetValueOrDefault(mailboxKey);
            }
            finally
            {
                _gate.Release();
            }

            IReadOnlyList<HeldEnvelope> envelopes;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                var connection = await _p2p.Host.DialAsync(address, timeout.Token).ConfigureAwait(false);
                envelopes = await _mailboxProtocol!.CollectAsync(connection, _keys!.Identity, acknowledged, _time, timeout.Token).ConfigureAwait(false);
                _registeredMailboxes[address.ToString()] = true;
            }
            catch (Exception e) when (e is IOException or TimeoutException or MalformedInputException or InvalidOperationException or UnauthorizedAccessException or EndOfStreamException
                or System.Net.Sockets.SocketException or Chhaya.P2p.Hosting.DialBackoffException or ArgumentException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogCollectFailed(_logger, address, e.Message);
                continue;
            }

            var handledThrough = 0L;
            foreach (var held in envelopes)
            {
                if (await ReceiveAndKeepAsync(held.Envelope, cancellationToken).ConfigureAwait(false) == KeepOutcome.Failed)
                {
                    // Not saved: stop here, so this envelope and the rest stay in the mailbox and come again.
                    break;
                }

                handledThrough = held.Sequence;
            }

            if (handledThrough > 0)
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    _state.MailboxAcks[mailboxKey] = handledThrough;
                    SaveState();
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
    }

    /// <summary>Drops expired envelopes and long-silent recipients from this node's mailbox, every few minutes.</summary>
    private async Task MailboxSweepLoopAsync(CancellationToken cancellationToken)
    {
        if (_mailbox is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await KeepGoingAsync(() => _mailbox.SweepAsync(cancellationToken), "sweeping the mailbox").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Releases messages whose ordering gap waited too long, and saves prekeys that changed.</summary>
    private async Task ReleaseStalledAsync(CancellationToken cancellationToken)
    {
        var stalled = _endpoint!.ReleaseStalled();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (peerHex, message) in stalled)
            {
                var route = _state.Routes.GetValueOrDefault(peerHex);
                _state.Inbox.Add(new InboxEntry(_state.NextInboxId++, route?.Handle ?? "(unknown)", peerHex.ToLowerInvariant(), false, Convert.ToHexStringLower(message.MessageId), Encoding.UTF8.GetString(message.Body), message.SentAtUnixMs, _time.GetUtcNow().ToUnixTimeMilliseconds(), message.Late));
            }

            if (stalled.Count > 0)
            {
                SaveState();
            }
            else
            {
                SavePrekeysIfChanged();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Publishes the prekey record (bundle without one-time prekeys, which only the node itself hands out, once each;
    /// plus the mailbox peers) as the signed DHT record <c>/chhaya/prekeys/PEERID</c>: every few seconds until a peer
    /// stored it, then on the configured interval, and at once after a prekey rotation.
    /// </summary>
    private async Task PublishLoopAsync(CancellationToken cancellationToken)
    {
        if (_p2p.Dht is null)
        {
            return;
        }

        var published = false;
        var last = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), _time);
        try
        {
            do
            {
                bool rotated;
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    rotated = _prekeys!.Rotate();
                    SavePrekeysIfChanged();
                }
                finally
                {
                    _gate.Release();
                }

                var due = !published || rotated || _time.GetUtcNow() - last >= TimeSpan.FromSeconds(Math.Max(10, _options.PublishIntervalSeconds));
                if (due)
                {
                    published = await PublishPrekeyRecordAsync(cancellationToken).ConfigureAwait(false) || published;
                    last = _time.GetUtcNow();
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> PublishPrekeyRecordAsync(CancellationToken cancellationToken)
    {
        var record = new PrekeyRecord(_prekeys!.PublishBundle(0), [.. _mailboxAddresses.Select(a => a.PeerId!)]);
        var (key, value) = SignedRecord.Create(_nodeIdentity, MessagingProtocols.PrekeyRecordName, (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds(), record.Encode());
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var stored = await _p2p.Dht!.PutValueAsync(key, value, timeout.Token).ConfigureAwait(false);
            LogPublished(_logger, stored);
            if (stored > 0)
            {
                Volatile.Write(ref _prekeyRecordPublished, true);
            }

            return stored > 0;
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogPublishFailed(_logger, e.Message);
            return false;
        }
    }

    /// <summary>Sends cover envelopes to random contacts at the configured rate, straight to their nodes only.</summary>
    private async Task CoverTrafficLoopAsync(CancellationToken cancellationToken)
    {
        if (_options.CoverEnvelopesPerHour <= 0)
        {
            return;
        }

        var policy = new CoverTrafficPolicy(_options.CoverEnvelopesPerHour);
        try
        {
            while (policy.NextDelay() is { } delay)
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                (string Hex, ContactRoute Route)[] routes;
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    routes = [.. _state.Routes.Select(kv => (kv.Key, kv.Value))];
                }
                finally
                {
                    _gate.Release();
                }

                if (routes.Length == 0)
                {
                    continue;
                }

                var (hex, route) = routes[RandomNumberGenerator.GetInt32(routes.Length)];
                if (TryPeerId(route.PeerId) is { } peer)
                {
                    await TrySendAsync(peer, _endpoint!.SendCover(Convert.FromHexString(hex), policy.PickBucket()), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Runs one step of a background loop; a failure that is not the node stopping (a full disk, a full outbox, a
    /// state file that cannot be written) is logged and the loop goes on, instead of stopping the whole node.
    /// </summary>
    private async Task KeepGoingAsync(Func<Task> step, string what)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or UnauthorizedAccessException
            or Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException)
        {
            LogStepFailed(_logger, what, e.Message);
        }
    }

    private static PeerId? TryPeerId(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return PeerId.FromBytes(bytes);
        }
        catch (MalformedInputException)
        {
            return null;
        }
    }

    private static PeerId? TryPeerId(string text)
    {
        try
        {
            return PeerId.Parse(text);
        }
        catch (Exception e) when (e is MalformedInputException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 8210, Level = LogLevel.Error, Message = "Messaging: {What} failed and is retried at the next round: {Reason}")]
    private static partial void LogStepFailed(ILogger logger, string what, string reason);

    [LoggerMessage(EventId = 8203, Level = LogLevel.Information, Message = "Message received from {Handle} (directory-verified: {Verified})")]
    private static partial void LogReceived(ILogger logger, string handle, bool verified);

    [LoggerMessage(EventId = 8204, Level = LogLevel.Information, Message = "Envelope for {Handle} left in mailbox {Mailbox}")]
    private static partial void LogDeposited(ILogger logger, string handle, PeerId mailbox);

    [LoggerMessage(EventId = 8205, Level = LogLevel.Information, Message = "Could not collect from mailbox {Mailbox}: {Reason}")]
    private static partial void LogCollectFailed(ILogger logger, Chhaya.P2p.Addressing.Multiaddr mailbox, string reason);

    [LoggerMessage(EventId = 8207, Level = LogLevel.Debug, Message = "Prekey record published to {Peers} DHT peer(s)")]
    private static partial void LogPublished(ILogger logger, int peers);

    [LoggerMessage(EventId = 8208, Level = LogLevel.Information, Message = "Could not publish the prekey record: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string reason);
}
