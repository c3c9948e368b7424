// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Directory;
using Chhaya.Vkd.Verification;

namespace Chhaya.Integrations;

/// <summary>What resolving a handle found.</summary>
public enum ResolveStatus
{
    /// <summary>First verified binding for the handle; it is now pinned.</summary>
    Pinned,

    /// <summary>The verified binding names the pinned identity key (its peer id may have moved).</summary>
    Confirmed,

    /// <summary>The verified binding names a different identity key; sending is blocked until accepted.</summary>
    KeyChanged,

    /// <summary>The directory has no binding for the handle.</summary>
    NotFound,

    /// <summary>The proof, head, certificate or binding failed a check; see the verdict. Nothing was pinned.</summary>
    Rejected,

    /// <summary>The lookup could not be fetched. Nothing was verified or pinned.</summary>
    Unavailable,
}

/// <summary>Why a lookup was rejected, when the directory verifier accepted it but the resolver did not.</summary>
public enum BindingCheck
{
    /// <summary>The verified directory value is not a binding record.</summary>
    BindingMalformed,
}

/// <summary>
/// The outcome of resolving a handle. For <see cref="ResolveStatus.Rejected"/>, <see cref="Verdict"/> names the
/// failed directory check (with <see cref="FailedCheck"/> for proof checks) or <see cref="Binding"/> is null and
/// <see cref="BindingCheck"/> names the record check. For <see cref="ResolveStatus.KeyChanged"/>,
/// <see cref="Previous"/> holds the pinned binding and <see cref="Binding"/> the new one.
/// </summary>
public sealed record ResolveOutcome(
    ResolveStatus Status,
    string Handle,
    BindingRecord? Binding,
    BindingRecord? Previous,
    ulong Epoch,
    LookupVerdict? Verdict,
    VkdCheck? FailedCheck,
    BindingCheck? BindingCheck,
    string Detail)
{
    /// <summary>True when the handle resolved to its pinned identity (first pin or confirmation).</summary>
    public bool Trusted => Status is ResolveStatus.Pinned or ResolveStatus.Confirmed;
}
