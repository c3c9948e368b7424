// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Threading.RateLimiting;
using Chhaya.LogStore;
using Chhaya.LogStore.Storage;
using Chhaya.Node.Admin;
using Chhaya.Node.Api;
using Chhaya.Node.Dashboard;
using Chhaya.Node.Identity;
using Chhaya.Node.Messaging;
using Chhaya.Node.P2p;
using Chhaya.Node.Producer;
using Chhaya.Node.Witnessing;
using Chhaya.Witness.Following;
using Chhaya.Witness.Gossip;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Chhaya.Node.Hosting;

/// <summary>What <c>chhaya run</c> was given on its command line.</summary>
/// <param name="DataDirectory">The <c>--data-dir</c> value, if any.</param>
/// <param name="Urls">The <c>--urls</c> value, if any.</param>
/// <param name="ConfigurationArguments">Other <c>--Section:Key=value</c> arguments, added last to the configuration.</param>
/// <param name="P2pListen">The <c>--p2p-listen</c> value, if any.</param>
public sealed record NodeRunArguments(string? DataDirectory, string? Urls, IReadOnlyList<string> ConfigurationArguments, string? P2pListen = null);

/// <summary>Builds the node: configuration stack, services, the public read-only listener and the admin channel.</summary>
public static class NodeHost
{
    /// <summary>The public listener's address when nothing else is configured: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static WebApplication Build(NodeRunArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. arguments.ConfigurationArguments],
            ContentRootPath = AppContext.BaseDirectory,
        });

        // appsettings.json, then CHHAYA__… environment variables, then the command line: later wins.
        builder.Configuration.AddEnvironmentVariables("CHHAYA__");
        builder.Configuration.AddCommandLine([.. arguments.ConfigurationArguments]);
        if (arguments.DataDirectory is not null)
        {
            builder.Configuration[$"{NodeOptions.SectionName}:{nameof(NodeOptions.DataDirectory)}"] = arguments.DataDirectory;
        }

        if (arguments.P2pListen is not null)
        {
            builder.Configuration[$"{P2pOptions.SectionName}:{nameof(P2pOptions.Listen)}:0"] = arguments.P2pListen;
        }

        var urls = arguments.Urls ?? builder.Configuration["urls"];
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(urls) ? DefaultUrls : urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });

        var dataDirectory = DataDirectory.Open(builder.Configuration[$"{NodeOptions.SectionName}:{nameof(NodeOptions.DataDirectory)}"]);
        AddServices(builder, dataDirectory);

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseReadOnlySurface();
        app.UseRateLimiter();
        app.MapHealthChecks("/healthz");
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapChhayaApi();
        app.MapDashboard();
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder, DataDirectory dataDirectory)
    {
        var services = builder.Services;
        services.AddSingleton(dataDirectory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<NodeClock>();
        services.AddSingleton(_ => NodeIdentity.LoadOrCreate(dataDirectory.IdentityKeyFile));

        services.AddOptions<NodeOptions>().Bind(builder.Configuration.GetSection(NodeOptions.SectionName));
        services.AddOptions<HttpOptions>().Bind(builder.Configuration.GetSection(HttpOptions.SectionName))
            .Validate(o => o.RequestsPerWindow > 0 && o.WindowSeconds > 0 && o.MaxPageSize is > 0 and <= 1000, "Http limits must be positive and MaxPageSize at most 1000.")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.SqlitePath))
                {
                    o.SqlitePath = dataDirectory.SqliteFile;
                }
            });
        services.AddSingleton(sp => new LogStoreContextFactory(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<HistoryStore>();
        services.AddSingleton<HistoryReader>();
        services.AddSingleton<EpochDetailReader>();
        services.AddSingleton<NodeStatusService>();

        // Hosted services start in this order, before the public listener opens.
        services.AddHostedService<StorageStartup>();
        services.AddHostedService<AdminServer>();
        services.AddOptions<P2pOptions>().Bind(builder.Configuration.GetSection(P2pOptions.SectionName));
        services.AddSingleton<NodeP2pHost>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeP2pHost>());
        services.AddSingleton<IWitnessGossip>(sp => sp.GetRequiredService<NodeP2pHost>().Enabled
            ? ActivatorUtilities.CreateInstance<GossipsubWitnessGossip>(sp)
            : new DetachedGossip());

        // The witness starts after libp2p (it dials sources), the producer after the witness (it offers
        // its heads to the node's own follower), the webhook sender before both so no alert waits.
        services.AddOptions<WitnessOptions>().Bind(builder.Configuration.GetSection(WitnessOptions.SectionName));
        services.AddSingleton<WebhookNotifier>();
        services.AddSingleton<IAlertNotifier>(sp => sp.GetRequiredService<WebhookNotifier>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        services.AddSingleton<WitnessService>();
        services.AddHostedService(sp => sp.GetRequiredService<WitnessService>());
        services.AddOptions<ProducerOptions>().Bind(builder.Configuration.GetSection(ProducerOptions.SectionName));
        services.AddSingleton<ProducerService>();
        services.AddHostedService(sp => sp.GetRequiredService<ProducerService>());

        // The messenger after libp2p and the witness (it reads the followed directories).
        services.AddOptions<MessagingOptions>().Bind(builder.Configuration.GetSection(MessagingOptions.SectionName));
        services.AddSingleton<NodeMessenger>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeMessenger>());

        // Registered last so it stops first: no gossip reaches the witness while it shuts down.
        services.AddHostedService<WitnessGossipLifetime>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        services.AddOpenApi();

        var http = builder.Configuration.GetSection(HttpOptions.SectionName).Get<HttpOptions>() ?? new HttpOptions();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = Math.Max(1, http.RequestsPerWindow),
                        Window = TimeSpan.FromSeconds(Math.Max(1, http.WindowSeconds)),
                        QueueLimit = 0,
                    }));
        });

        var telemetry = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("chhaya", serviceVersion: NodeVersion.Current))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("Chhaya.*").AddAspNetCoreInstrumentation().AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint))
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(telemetry.OtlpEndpoint));
                }
            });
        if (!string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint))
        {
            otel.WithTracing(tracing => tracing.AddSource("Chhaya.*").AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(telemetry.OtlpEndpoint)));
        }
    }
}
