// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;

namespace Chhaya.Integrations;

/// <summary>Pins held in memory only: for tests and for clients that re-verify on every start.</summary>
public sealed class InMemoryPinStore : IPinStore
{
    private readonly ConcurrentDictionary<string, PinnedBinding> _pins = new(StringComparer.Ordinal);

    public Task<PinnedBinding?> GetAsync(string handle, CancellationToken cancellationToken) =>
        Task.FromResult(_pins.TryGetValue(handle, out var pin) ? pin : null);

    public Task SetAsync(PinnedBinding pin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pin);
        _pins[pin.Handle] = pin;
        return Task.CompletedTask;
    }
}
