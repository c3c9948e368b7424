// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Hosting;

/// <summary>Handles one inbound stream after its protocol was agreed. The host disposes the stream afterwards.</summary>
public delegate Task StreamHandler(Libp2pStreamContext context, CancellationToken cancellationToken);

/// <summary>An inbound stream, the connection it arrived on and the agreed protocol.</summary>
public sealed record Libp2pStreamContext(Libp2pConnection Connection, string Protocol, YamuxStream Stream);

/// <summary>
/// Maps protocol ids (e.g. <c>/chhaya/vkd/audit/1.0.0</c>) to handlers. Matching is exact, as multistream-select
/// requires. Changes raise <see cref="Changed"/>, on which the host pushes identify to its peers.
/// </summary>
public sealed class ProtocolRouter
{
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new(StringComparer.Ordinal);

    public event EventHandler? Changed;

    /// <summary>Protocols with a handler, sorted.</summary>
    public IReadOnlyList<string> Protocols => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers or replaces the handler for <paramref name="protocol"/>.</summary>
    public void Register(string protocol, StreamHandler handler)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(handler);
        if (!protocol.StartsWith('/') || protocol.Contains('\n', StringComparison.Ordinal) || protocol.Length > 512)
        {
            throw new ArgumentException("protocol ids start with '/', hold no newline and are at most 512 characters", nameof(protocol));
        }

        _handlers[protocol] = handler;
        Changed?.Invoke(this, EventArgs.Empty);
    }

    public bool Unregister(string protocol)
    {
        var removed = _handlers.TryRemove(protocol, out _);
        if (removed)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }

        return removed;
    }

    public bool Supports(string protocol) => _handlers.ContainsKey(protocol);

    internal StreamHandler? Find(string protocol) => _handlers.GetValueOrDefault(protocol);
}
