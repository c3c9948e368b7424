// SPDX-License-Identifier: AGPL-3.0-or-later
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Hosting;

/// <summary>Registers a <see cref="Libp2pHost"/> as a singleton that the generic host starts and stops.</summary>
public static class P2pServiceCollectionExtensions
{
    public static IServiceCollection AddChhayaLibp2p(this IServiceCollection services, Func<IServiceProvider, Libp2pHostOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new P2pMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new Libp2pHost(options(sp), sp.GetService<ILoggerFactory>(), sp.GetRequiredService<P2pMetrics>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<Libp2pHost>());
        return services;
    }
}
