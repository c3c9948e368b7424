// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.P2p.Pubsub;

/// <summary>The outcome of an application validator (gossipsub v1.1 "Extended Validators").</summary>
public enum ValidationResult
{
    /// <summary>Valid: deliver to subscribers and forward.</summary>
    Accept,

    /// <summary>Invalid: drop, and penalise every peer that sent it (P4).</summary>
    Reject,

    /// <summary>Not wanted but not the sender's fault (e.g. stale): drop without penalty.</summary>
    Ignore,
}

/// <summary>Checks a message before it is delivered or forwarded. It must honour the cancellation token (the timeout).</summary>
public delegate ValueTask<ValidationResult> MessageValidator(ReceivedMessage message, CancellationToken cancellationToken);
