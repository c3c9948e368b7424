// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Integrations;

/// <summary>
/// What this client trusts for one handle: the binding it first verified (or last accepted), the epoch it
/// was seen at, and a verified binding with a different identity key that the user has not accepted yet.
/// While <see cref="Pending"/> is set, sending to the handle is blocked.
/// </summary>
public sealed record PinnedBinding(string Handle, BindingRecord Binding, ulong Epoch, BindingRecord? Pending)
{
    /// <summary>True when a key change is waiting for the user's acceptance.</summary>
    public bool SendingBlocked => Pending is not null;
}

/// <summary>Where pins live. Implementations must persist a pin before <see cref="SetAsync"/> completes.</summary>
public interface IPinStore
{
    Task<PinnedBinding?> GetAsync(string handle, CancellationToken cancellationToken);

    Task SetAsync(PinnedBinding pin, CancellationToken cancellationToken);
}
