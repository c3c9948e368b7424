// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Directory;
using Chhaya.Integrations;
using Chhaya.Messaging;
using Chhaya.Messaging.Conversations;
using Chhaya.Messaging.Handshake;
using Chhaya.Messaging.Prekeys;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;
using Chhaya.Safety;

namespace Chhaya.Node.Messaging;

/// <summary>The result of <c>chhaya msg send</c>: <c>Status</c> is <c>delivered</c>, <c>in-mailbox</c> or <c>queued</c> on success, else an error code.</summary>
public sealed record SendOutcome(bool Ok, string Status, string Detail, string? MessageId);

/// <summary>One contact as <c>chhaya contacts</c> shows it.</summary>
public sealed record ContactView(string Handle, string? IdentityKey, string? PeerId, ulong Epoch, string? PendingIdentityKey, bool SendingBlocked);

/// <summary>
/// Who the local user is, the binding record the directory must hold for its handle, whether its prekey record is in
/// the DHT yet, and how many of its mailboxes accepted a collection (which registers the user with them).
/// </summary>
public sealed record WhoAmIView(string Handle, string IdentityKey, string PeerId, string BindingRecord, bool PrekeyRecordPublished, int MailboxesRegistered, int MailboxesConfigured);

/// <summary>The user-facing operations: send, inbox, contacts, safety numbers, key-change acceptance.</summary>
public sealed partial class NodeMessenger
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lastVerified = new(StringComparer.Ordinal);

    /// <summary>
    /// Sends <paramref name="text"/> to <paramref name="handle"/>: resolves and verifies the handle in the key directory
    /// (quorum-certified lookup proof; a changed key blocks), starts a session from the recipient's prekeys if there is
    /// none, seals the message, and delivers it now or leaves it in the outbox.
    /// </summary>
    public async Task<SendOutcome> SendTextAsync(string handle, string text, CancellationToken cancellationToken)
    {
        if (_endpoint is null)
        {
            return Fail("no-user", "This node has no messaging user: set Messaging:Handle and restart it.");
        }

        var body = Encoding.UTF8.GetBytes(text ?? "");
        if (body.Length == 0 || body.Length > ConversationContent.MaxBodyLength - 1024)
        {
            return Fail("bad-text", $"A message is 1 to {ConversationContent.MaxBodyLength - 1024} UTF-8 bytes.");
        }

        ResolveOutcome resolved;
        try
        {
            resolved = await RecentlyVerifiedAsync(handle, cancellationToken).ConfigureAwait(false)
                ?? await ResolveCertifiedAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return Fail("bad-handle", e.Message);
        }

        if (!resolved.Trusted || resolved.Binding is not { } binding)
        {
            return resolved.Status switch
            {
                ResolveStatus.KeyChanged => Fail("key-changed", $"The identity key of {handle} changed in the key directory ({resolved.Detail}). Sending is blocked: compare safety numbers ('chhaya safety-number {handle}') out of band, then accept with 'chhaya contacts accept {handle}'."),
                ResolveStatus.NotFound => Fail("not-found", $"The key directory has no binding for {handle}."),
                ResolveStatus.Unavailable => Fail("unavailable", $"The key directory could not be asked about {handle}: {resolved.Detail}. Nothing was sent; try again."),
                _ => Fail("rejected", $"The key directory's answer for {handle} failed verification ({resolved.Verdict}{(resolved.FailedCheck is { } c ? $", {c}" : "")}): {resolved.Detail}. Nothing was sent."),
            };
        }

        var identity = binding.IdentityKey.ToArray();
        var peerHex = Convert.ToHexString(identity);
        var record = await FetchPrekeyRecordAsync(binding.PeerId, cancellationToken).ConfigureAwait(false);
        PrekeyBundle? bundle = null;
        if (_endpoint.SessionWith(identity) is null)
        {
            bundle = await FetchBundleDirectAsync(binding.PeerId, cancellationToken).ConfigureAwait(false) ?? record?.Bundle;
            if (bundle is null)
            {
                return Fail("no-prekeys", $"{handle} is offline and has no prekey record in the DHT yet; nothing was sent.");
            }
        }

        string messageId;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (bundle is not null && _endpoint.SessionWith(identity) is null)
            {
                try
                {
                    _endpoint.StartSession(identity, bundle);
                }
                catch (HandshakeException e)
                {
                    return Fail("bad-prekeys", $"The prekeys of {handle} do not verify against the key the directory vouches for: {e.Message}");
                }
            }

            var mailboxes = record?.Mailboxes.Select(m => m.ToString()).ToList() ?? _state.Routes.GetValueOrDefault(peerHex)?.Mailboxes ?? [];
            _state.Routes[peerHex] = new ContactRoute(handle, binding.PeerId.ToString(), mailboxes);
            var (content, envelope) = _endpoint.SendText(identity, body);
            await SaveSessionAsync(identity, cancellationToken).ConfigureAwait(false);
            messageId = Convert.ToHexStringLower(content.MessageId);
            var queued = _outbox.Enqueue(peerHex, envelope);
            _outboxMessages[queued.Id] = messageId;
            _state.Sent.Add(new SentEntry(messageId, handle, text!, content.SentAtUnixMs));
            SaveState();
        }
        finally
        {
            _gate.Release();
        }

        await DeliverOutboxAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var status = _state.Sent.FindLast(s => s.MessageId == messageId)?.Status ?? "queued";
            return new SendOutcome(true, status, status switch
            {
                "queued" => $"{handle} could not be reached; the message waits in the outbox and is retried with back-off.",
                "in-mailbox" => $"{handle} is offline; the sealed message waits in its mailbox.",
                _ => $"Delivered to the node of {handle}.",
            }, messageId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The pinned binding, when the directory confirmed it less than <c>Messaging:RecheckSeconds</c> ago, no key change
    /// waits and a session exists; null when the directory must be asked.
    /// </summary>
    private async Task<ResolveOutcome?> RecentlyVerifiedAsync(string handle, CancellationToken cancellationToken)
    {
        if (!_lastVerified.TryGetValue(handle, out var at) || _time.GetUtcNow() - at >= TimeSpan.FromSeconds(Math.Max(0, _options.RecheckSeconds)))
        {
            return null;
        }

        var pin = await _resolver!.GetPinAsync(handle, cancellationToken).ConfigureAwait(false);
        return pin is { SendingBlocked: false } && _endpoint!.SessionWith(pin.Binding.IdentityKey) is not null
            ? new ResolveOutcome(ResolveStatus.Confirmed, handle, pin.Binding, pin.Binding, pin.Epoch, LookupVerdict.Accepted, null, null, "confirmed recently")
            : null;
    }

    /// <summary>
    /// Resolves <paramref name="handle"/>; when the directory's newest epoch is not certified yet (the quorum is
    /// usually a moment behind the directory), asks again a few times, a second apart. Nothing is pinned until a
    /// certified answer verifies.
    /// </summary>
    private async Task<ResolveOutcome> ResolveCertifiedAsync(string handle, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var resolved = await _resolver!.ResolveAsync(handle, cancellationToken).ConfigureAwait(false);
            if (resolved.Trusted)
            {
                _lastVerified[handle] = _time.GetUtcNow();
            }

            if (resolved.Verdict != LookupVerdict.NotCertified || attempt == Attempts)
            {
                return resolved;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inbox entries after <paramref name="afterId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<InboxEntry>> InboxAsync(long afterId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. _state.Inbox.Where(e => e.Id > afterId)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The last sent messages and how far each got.</summary>
    public async Task<IReadOnlyList<SentEntry>> SentAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. _state.Sent.Select(s => s with { })];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every handle this user exchanged messages with, and its pinned key.</summary>
    public async Task<IReadOnlyList<ContactView>> ContactsAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is null)
        {
            return [];
        }

        List<string> handles;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            handles = [.. _state.Routes.Values.Select(r => r.Handle).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
        finally
        {
            _gate.Release();
        }

        var contacts = new List<ContactView>();
        foreach (var handle in handles)
        {
            var pin = await SafePinAsync(handle, cancellationToken).ConfigureAwait(false);
            contacts.Add(new ContactView(
                handle,
                pin is null ? null : Convert.ToHexStringLower(pin.Binding.IdentityKey),
                pin?.Binding.PeerId.ToString(),
                pin?.Epoch ?? 0,
                pin?.Pending is { } pending ? Convert.ToHexStringLower(pending.IdentityKey) : null,
                pin?.SendingBlocked ?? false));
        }

        return contacts;
    }

    /// <summary>Accepts a pending key change for <paramref name="handle"/>; false when none is pending.</summary>
    public async Task<bool> AcceptKeyChangeAsync(string handle, CancellationToken cancellationToken) =>
        _resolver is not null && await _resolver.AcceptKeyChangeAsync(handle, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The safety number of this user and <paramref name="handle"/> (its pinned key, or the pending one when
    /// <paramref name="pending"/>), resolving the handle first if it is not pinned yet; null when it cannot be resolved.
    /// </summary>
    public async Task<string?> SafetyNumberAsync(string handle, bool pending, CancellationToken cancellationToken)
    {
        if (_endpoint is null)
        {
            return null;
        }

        var pin = await SafePinAsync(handle, cancellationToken).ConfigureAwait(false);
        if (pin is null)
        {
            try
            {
                await _resolver!.ResolveAsync(handle, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException)
            {
                return null;
            }

            pin = await SafePinAsync(handle, cancellationToken).ConfigureAwait(false);
        }

        var binding = pending ? pin?.Pending : pin?.Binding;
        return binding is null ? null : SafetyNumber.Format(SafetyNumber.Compute(_endpoint.Identity.PublicKey, binding.IdentityKey));
    }

    /// <summary>The local user, and the binding record to publish under its handle in the directory.</summary>
    public WhoAmIView? WhoAmI() => _endpoint is null
        ? null
        : new WhoAmIView(_options.Handle!.Trim(), Convert.ToHexStringLower(_endpoint.Identity.PublicKey), _p2p.PeerId.ToString(),
            Convert.ToHexStringLower(new BindingRecord(_endpoint.Identity.PublicKey, _p2p.PeerId).Encode()),
            Volatile.Read(ref _prekeyRecordPublished), _registeredMailboxes.Count, _mailboxAddresses.Count);

    private async Task<PinnedBinding?> SafePinAsync(string handle, CancellationToken cancellationToken)
    {
        try
        {
            return await _resolver!.GetPinAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The recipient's signed prekey record from the DHT (its mailboxes, and a bundle for when it is offline).</summary>
    private async Task<PrekeyRecord?> FetchPrekeyRecordAsync(PeerId peer, CancellationToken cancellationToken)
    {
        if (_p2p.Dht is null)
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var key = SignedRecord.KeyFor(MessagingProtocols.PrekeyRecordName, peer);
            var value = await _p2p.Dht.GetValueAsync(key, timeout.Token).ConfigureAwait(false);
            return value is null ? null : PrekeyRecord.Decode(SignedRecord.Verify(key, value).Payload);
        }
        catch (Exception e) when (e is MalformedInputException or InvalidRecordException or IOException or TimeoutException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogRecordUnavailable(_logger, peer, e.Message);
            return null;
        }
    }

    /// <summary>A bundle (with one-time prekeys) straight from the recipient's node, when it is online.</summary>
    private async Task<PrekeyBundle?> FetchBundleDirectAsync(PeerId peer, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _p2p.ConnectToPeerAsync(peer, PeerTimeout, cancellationToken).ConfigureAwait(false);
            return connection is null ? null : await _service!.FetchBundleAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or MalformedInputException or InvalidOperationException or EndOfStreamException
            or System.Net.Sockets.SocketException or Chhaya.P2p.Hosting.DialBackoffException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static SendOutcome Fail(string status, string detail) => new(false, status, detail, null);

    [LoggerMessage(EventId = 8209, Level = LogLevel.Information, Message = "No usable prekey record for {Peer} in the DHT: {Reason}")]
    private static partial void LogRecordUnavailable(ILogger logger, PeerId peer, string reason);
}
