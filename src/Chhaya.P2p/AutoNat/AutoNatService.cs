// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Multistream;
using Chhaya.Safety;
using Microsoft.Extensions.Hosting;

namespace Chhaya.P2p.AutoNat;

/// <summary>
/// Probes reachability in the background: every <see cref="AutoNatClientOptions.ProbeInterval"/> it asks up to
/// <see cref="AutoNatClientOptions.ServersPerRound"/> connected peers that list AutoNAT in identify (never over
/// relayed connections) to dial us back, one peer per probe.
/// </summary>
public sealed class AutoNatService(Libp2pHost host, AutoNatClient client, AutoNatClientOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunRoundAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(options.ProbeInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs one probing round now.</summary>
    public async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var servers = host.Connections
            .Where(c => !c.IsClosed && !AutoNatServer.IsRelayed(c.RemoteAddress) && c.Identify?.Protocols.Contains(AutoNatMessage.ProtocolId) == true)
            .DistinctBy(c => c.RemotePeer)
            .OrderBy(_ => Random.Shared.Next())
            .Take(options.ServersPerRound)
            .ToList();
        foreach (var server in servers)
        {
            try
            {
                await client.ProbeAsync(server, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or MalformedInputException
                or ProtocolNotSupportedException or OperationCanceledException or ObjectDisposedException)
            {
                client.ProbeFailed(server, e);
            }
        }
    }
}
