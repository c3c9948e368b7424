// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Witness.Gossip;

namespace Chhaya.Node.P2p;

/// <summary>Starts and stops the node's witness gossip with the host, whichever implementation it is.</summary>
internal sealed class WitnessGossipLifetime(IWitnessGossip gossip) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        gossip is IHostedService hosted ? hosted.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        gossip is IHostedService hosted ? hosted.StopAsync(cancellationToken) : Task.CompletedTask;
}
