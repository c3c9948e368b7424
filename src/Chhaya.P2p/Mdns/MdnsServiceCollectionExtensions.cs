// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Mdns;

/// <summary>Registers <see cref="MdnsDiscovery"/> for the registered <see cref="Libp2pHost"/>; it stays idle unless enabled.</summary>
public static class MdnsServiceCollectionExtensions
{
    public static IServiceCollection AddChhayaMdns(this IServiceCollection services, Func<IServiceProvider, MdnsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new MdnsDiscovery(options(sp), sp.GetRequiredService<Libp2pHost>(), sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MdnsDiscovery>());
        return services;
    }
}
