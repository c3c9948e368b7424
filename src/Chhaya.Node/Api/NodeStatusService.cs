// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Storage;
using Chhaya.Node.Hosting;
using Chhaya.Node.Identity;
using Chhaya.Node.P2p;

namespace Chhaya.Node.Api;

/// <summary>Assembles the node's status, for the public API and the admin channel alike.</summary>
public sealed class NodeStatusService(HistoryReader reader, NodeIdentity identity, LogStoreContextFactory contexts, NodeClock clock, NodeP2pHost p2p)
{
    public async Task<NodeStatus> GetAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> addresses = p2p.Enabled ? [.. p2p.Host.GetAnnounceAddresses().Select(a => a.ToString())] : [];
        return new NodeStatus(
            NodeVersion.Current,
            identity.PublicKeyHex,
            p2p.PeerId.ToString(),
            addresses,
            contexts.Describe(),
            clock.StartedAt,
            await reader.CountsAsync(cancellationToken));
    }
}
