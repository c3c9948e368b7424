// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Runtime.CompilerServices;
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Storage;

/// <summary>An <see cref="IVkdStore"/> in memory, for tests, devnets and auditors that keep no files.</summary>
public sealed class InMemoryVkdStore : IVkdStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<NodeLabel, StoredNode> _nodes = [];
    private readonly List<StoredEpoch> _epochs = [];
    private readonly List<StoredValueState> _values = [];
    private readonly Dictionary<string, List<StoredValueState>> _byLabel = new(StringComparer.Ordinal);

    public Task<ulong?> GetLatestEpochAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_epochs.Count == 0 ? (ulong?)null : _epochs[^1].Epoch);
        }
    }

    public Task<StoredEpoch?> GetEpochAsync(ulong epoch, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(epoch < (ulong)_epochs.Count ? _epochs[(int)epoch] : null);
        }
    }

    public Task<IReadOnlyList<StoredValueState>> GetValueStatesAsync(ReadOnlyMemory<byte> akdLabel, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredValueState> result = _byLabel.TryGetValue(Key(akdLabel), out var list) ? list.ToArray() : [];
            return Task.FromResult(result);
        }
    }

    public async IAsyncEnumerable<StoredNode> ReadNodesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoredNode[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _nodes.Values];
        }

        foreach (var node in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return node;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async IAsyncEnumerable<StoredValueState> ReadValueStatesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoredValueState[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _values];
        }

        foreach (var value in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return value;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task CommitEpochAsync(EpochCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        lock (_gate)
        {
            // Validate everything before changing anything, so a refused commit leaves no trace.
            if (commit.Epoch.Epoch != (ulong)_epochs.Count)
            {
                throw new InvalidOperationException($"Epoch {commit.Epoch.Epoch} is not the next epoch {_epochs.Count}.");
            }

            var seen = new HashSet<(string, ulong)>();
            foreach (var v in commit.ValueStates)
            {
                var key = Key(v.AkdLabel);
                if (!seen.Add((key, v.Version)) || (_byLabel.TryGetValue(key, out var list) && list.Exists(x => x.Version == v.Version)))
                {
                    throw new InvalidOperationException($"Version {v.Version} of a label is already stored.");
                }
            }

            _epochs.Add(commit.Epoch);
            foreach (var n in commit.Nodes)
            {
                _nodes[n.Label] = n;
            }

            foreach (var v in commit.ValueStates)
            {
                var copy = v with { AkdLabel = v.AkdLabel.ToArray(), Value = v.Value.ToArray() };
                _values.Add(copy);
                var key = Key(v.AkdLabel);
                if (!_byLabel.TryGetValue(key, out var list))
                {
                    list = [];
                    _byLabel[key] = list;
                }

                list.Add(copy);
                list.Sort(static (a, b) => a.Version.CompareTo(b.Version));
            }
        }

        return Task.CompletedTask;
    }

    private static string Key(ReadOnlyMemory<byte> label) => Convert.ToHexString(label.Span);
}
