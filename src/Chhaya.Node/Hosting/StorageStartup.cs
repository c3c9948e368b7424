// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;

namespace Chhaya.Node.Hosting;

/// <summary>Applies the store's migrations before the listeners open, so the API never sees a half-made schema.</summary>
public sealed class StorageStartup(HistoryStore store, Microsoft.Extensions.Options.IOptions<StorageOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await store.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>/healthz: the node answers and its database does too.</summary>
public sealed class StorageHealthCheck(HistoryStore store) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.CanConnectAsync(cancellationToken)
                ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy("history store reachable")
                : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("history store unreachable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The probe reports the failure; the exception text may name hosts, so it is not echoed.
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("history store unreachable");
        }
    }
}
