// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Kad;

/// <summary>Registers a <see cref="KadDht"/> on the registered <see cref="Libp2pHost"/>, started and stopped by the generic host.</summary>
public static class KadServiceCollectionExtensions
{
    /// <summary>Call after <see cref="P2pServiceCollectionExtensions.AddChhayaLibp2p"/> so the libp2p host starts first.</summary>
    public static IServiceCollection AddChhayaKad(this IServiceCollection services, Func<IServiceProvider, KadDhtOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new KadMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new KadDht(sp.GetRequiredService<Libp2pHost>(), options(sp), sp.GetService<ILoggerFactory>(), sp.GetRequiredService<KadMetrics>()));
        services.AddSingleton<IHostedService, KadHostedService>();
        return services;
    }
}

/// <summary>Starts the DHT with the generic host and bootstraps it in the background, so start-up does not wait on the network.</summary>
internal sealed class KadHostedService(KadDht dht) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _bootstrap = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        dht.Start();
        _bootstrap = Task.Run(async () =>
        {
            try
            {
                await dht.BootstrapAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped before bootstrap finished.
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _bootstrap.WaitAsync(cancellationToken).ConfigureAwait(false);
        await dht.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();
}
