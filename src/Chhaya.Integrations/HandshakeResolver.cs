// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.Directory;
using Chhaya.Safety;
using Chhaya.Witness.Protocol;
using Microsoft.Extensions.Logging;

namespace Chhaya.Integrations;

/// <summary>
/// Resolves a messaging handle to the identity key and peer id the key directory binds it to, and pins the
/// result. A binding is trusted only after <see cref="VkdProofVerifier"/> accepted the lookup proof, the
/// directory's head signature and the witness quorum certificate, and the value decoded as a
/// <see cref="BindingRecord"/>. A later verified binding with a different identity key does not replace the
/// pin: it is reported as <see cref="ResolveStatus.KeyChanged"/> and blocks sending until the user calls
/// <see cref="AcceptKeyChangeAsync"/>. A failed check is never pinned. Epochs only move forward: a lookup
/// at an epoch older than the one a pin was made at is refused as a rollback.
/// </summary>
public sealed partial class HandshakeResolver : IDisposable
{
    /// <summary>Longest handle, in UTF-8 bytes: the lookup protocol's label bound.</summary>
    public const int MaxHandleLength = LookupProtocol.MaxLabelLength;

    private readonly VkdProofVerifier _verifier;
    private readonly ILookupSource _source;
    private readonly IPinStore _pins;
    private readonly ILogger<HandshakeResolver> _logger;

    // Resolutions and acceptances read, decide and write a pin; one at a time keeps that consistent.
    private readonly SemaphoreSlim _lock = new(1, 1);

    public HandshakeResolver(VkdProofVerifier verifier, ILookupSource source, IPinStore pins, ILogger<HandshakeResolver> logger)
    {
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _pins = pins ?? throw new ArgumentNullException(nameof(pins));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Fetches, verifies and pins the binding for <paramref name="handle"/>.</summary>
    /// <exception cref="ArgumentException">The handle is empty or longer than <see cref="MaxHandleLength"/> bytes.</exception>
    public async Task<ResolveOutcome> ResolveAsync(string handle, CancellationToken cancellationToken)
    {
        var label = Label(handle);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pin = await _pins.GetAsync(handle, cancellationToken).ConfigureAwait(false);
            LookupAnswer? answer;
            try
            {
                answer = await _source.FetchAsync(label, cancellationToken).ConfigureAwait(false);
            }
            catch (LookupUnavailableException e)
            {
                return Outcome(ResolveStatus.Unavailable, handle, e.Message);
            }

            if (answer is null)
            {
                return Outcome(ResolveStatus.NotFound, handle, "the directory has no binding for this handle");
            }

            var certificate = answer.QuorumCertificate ?? ReadOnlyMemory<byte>.Empty;
            var decision = _verifier.VerifyVkdProof(label, answer.SignedHead.Span, certificate.Span, answer.LookupProof.Span, pin?.Epoch ?? 0);
            if (!decision.Accepted)
            {
                LogRejected(_logger, handle, decision.Verdict, decision.Detail);
                return new ResolveOutcome(ResolveStatus.Rejected, handle, null, pin?.Binding, 0, decision.Verdict, decision.FailedCheck, null, decision.Detail);
            }

            BindingRecord binding;
            try
            {
                binding = BindingRecord.Decode(decision.Result!.Value.Span);
            }
            catch (MalformedInputException e)
            {
                LogBindingMalformed(_logger, handle, e.Message);
                return new ResolveOutcome(ResolveStatus.Rejected, handle, null, pin?.Binding, 0, null, null, BindingCheck.BindingMalformed, e.Message);
            }

            var epoch = Chhaya.Vkd.Epochs.SignedEpochHead.Decode(answer.SignedHead.Span).Head.Epoch;
            return await DecideAsync(handle, pin, binding, epoch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>True only when the handle is pinned and no key change waits for acceptance.</summary>
    public async Task<bool> CanSendAsync(string handle, CancellationToken cancellationToken)
    {
        var pin = await _pins.GetAsync(handle, cancellationToken).ConfigureAwait(false);
        return pin is not null && !pin.SendingBlocked;
    }

    /// <summary>The pin for <paramref name="handle"/>, if any.</summary>
    public Task<PinnedBinding?> GetPinAsync(string handle, CancellationToken cancellationToken) => _pins.GetAsync(handle, cancellationToken);

    /// <summary>
    /// The user accepts the pending key change for <paramref name="handle"/>: the new binding becomes the pin and
    /// sending is unblocked. Returns false when no change is pending.
    /// </summary>
    public async Task<bool> AcceptKeyChangeAsync(string handle, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pin = await _pins.GetAsync(handle, cancellationToken).ConfigureAwait(false);
            if (pin?.Pending is null)
            {
                return false;
            }

            await _pins.SetAsync(pin with { Binding = pin.Pending, Pending = null }, cancellationToken).ConfigureAwait(false);
            LogAccepted(_logger, handle);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private async Task<ResolveOutcome> DecideAsync(string handle, PinnedBinding? pin, BindingRecord binding, ulong epoch, CancellationToken cancellationToken)
    {
        if (pin is null)
        {
            await _pins.SetAsync(new PinnedBinding(handle, binding, epoch, null), cancellationToken).ConfigureAwait(false);
            return new ResolveOutcome(ResolveStatus.Pinned, handle, binding, null, epoch, LookupVerdict.Accepted, null, null, $"pinned at epoch {epoch}");
        }

        if (binding.SameIdentityAs(pin.Binding))
        {
            // The same identity key; the peer id may have moved. A change seen earlier and not yet accepted
            // stays pending: the user must still see that the directory once bound another key.
            await _pins.SetAsync(pin with { Binding = binding, Epoch = epoch }, cancellationToken).ConfigureAwait(false);
            return pin.Pending is null
                ? new ResolveOutcome(ResolveStatus.Confirmed, handle, binding, pin.Binding, epoch, LookupVerdict.Accepted, null, null, $"confirmed at epoch {epoch}")
                : new ResolveOutcome(ResolveStatus.KeyChanged, handle, pin.Pending, binding, epoch, LookupVerdict.Accepted, null, null, "a key change seen earlier is not yet accepted");
        }

        await _pins.SetAsync(pin with { Epoch = epoch, Pending = binding }, cancellationToken).ConfigureAwait(false);
        LogKeyChanged(_logger, handle, epoch);
        return new ResolveOutcome(ResolveStatus.KeyChanged, handle, binding, pin.Binding, epoch, LookupVerdict.Accepted, null, null, $"the identity key changed at epoch {epoch}; sending is blocked until accepted");
    }

    private static ResolveOutcome Outcome(ResolveStatus status, string handle, string detail) =>
        new(status, handle, null, null, 0, null, null, null, detail);

    private static byte[] Label(string handle)
    {
        ArgumentException.ThrowIfNullOrEmpty(handle);
        var label = Encoding.UTF8.GetBytes(handle);
        if (label.Length > MaxHandleLength)
        {
            throw new ArgumentException($"A handle is at most {MaxHandleLength} UTF-8 bytes.", nameof(handle));
        }

        return label;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "The directory lookup for {Handle} was rejected ({Verdict}): {Detail}")]
    private static partial void LogRejected(ILogger logger, string handle, LookupVerdict verdict, string detail);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "The directory value for {Handle} verified but is not a binding record: {Detail}")]
    private static partial void LogBindingMalformed(ILogger logger, string handle, string detail);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "The identity key of {Handle} changed at epoch {Epoch}; sending is blocked until the change is accepted")]
    private static partial void LogKeyChanged(ILogger logger, string handle, ulong epoch);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "The key change of {Handle} was accepted")]
    private static partial void LogAccepted(ILogger logger, string handle);
}
