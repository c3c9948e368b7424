// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Core;

namespace Chhaya.Witness.Following;

/// <summary>
/// The most recent epochs this node holds a quorum certificate for, with the certified root, so the same
/// certificate arriving again from other peers is dropped before any BLS work. Bounded: the oldest entries go
/// first; forgetting one only means verifying again.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class CertifiedEpochs
{
    private const int Capacity = 4096;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<ulong, Digest> _roots = [];

    public void Add(ulong epoch, Digest root)
    {
        lock (_gate)
        {
            _roots[epoch] = root;
            if (_roots.Count > Capacity)
            {
                _roots.Remove(_roots.Keys.First());
            }
        }
    }

    /// <summary>True when <paramref name="epoch"/> is certified over exactly <paramref name="root"/>.</summary>
    public bool Contains(ulong epoch, Digest root)
    {
        lock (_gate)
        {
            return _roots.TryGetValue(epoch, out var certified) && certified.Equals(root);
        }
    }
}
