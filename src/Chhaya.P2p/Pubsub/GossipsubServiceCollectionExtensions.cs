// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chhaya.P2p.Pubsub;

/// <summary>
/// Registers a <see cref="GossipsubRouter"/> on the <see cref="Libp2pHost"/> that <c>AddChhayaLibp2p</c>
/// registered. Call it after <c>AddChhayaLibp2p</c>: hosted services start in registration order and stop in
/// reverse, so the router starts after the host and stops before it.
/// </summary>
public static class GossipsubServiceCollectionExtensions
{
    public static IServiceCollection AddChhayaGossipsub(this IServiceCollection services, Func<IServiceProvider, Ed25519Identity> identity, Func<IServiceProvider, GossipsubOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(identity);
        services.AddSingleton(sp => new GossipsubMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new GossipsubRouter(
            sp.GetRequiredService<Libp2pHost>(),
            identity(sp),
            options?.Invoke(sp) ?? new GossipsubOptions(),
            sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<GossipsubMetrics>()));
        services.AddSingleton<IHostedService>(sp => new GossipsubHostedService(sp.GetRequiredService<GossipsubRouter>()));
        return services;
    }

    private sealed class GossipsubHostedService(GossipsubRouter router) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            router.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => router.DisposeAsync().AsTask();
    }
}
