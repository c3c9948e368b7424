// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Sockets;
using Chhaya.LogStore;
using Chhaya.Node.Hosting;

namespace Chhaya.Node.Admin;

/// <summary>
/// The local admin channel: HTTP over a Unix domain socket in the data directory (mode 0600, inside a
/// 0700 directory), served by its own Kestrel instance so the public listener can never route to it.
/// Commands that change state or read private data go here.
/// </summary>
public sealed partial class AdminServer(
    DataDirectory dataDirectory,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    ILogger<AdminServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var socketPath = dataDirectory.AdminSocket;
        await RemoveStaleSocketAsync(socketPath, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath));
        var app = builder.Build();
        AdminEndpoints.Map(app, services);
        await app.StartAsync(cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        _app = app;
        LogListening(logger, socketPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private static async Task RemoveStaleSocketAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        }
        catch (SocketException)
        {
            // Nobody listens: a socket left behind by a node that did not stop cleanly.
            File.Delete(path);
            return;
        }

        throw new InvalidOperationException($"Another chhaya node is already running with data directory {Path.GetDirectoryName(path)}. Stop it, or give this one another --data-dir.");
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Admin channel listening on unix socket {Path}")]
    private static partial void LogListening(ILogger logger, string path);
}

/// <summary>Routes of the admin channel.</summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app, IServiceProvider node)
    {
        var admin = app.MapGroup("/admin/v1");
        admin.MapGet("/status", async (CancellationToken cancellationToken) =>
        {
            return Results.Ok(await node.GetRequiredService<Api.NodeStatusService>().GetAsync(cancellationToken));
        });
        admin.MapGet("/peers", () => Api.ApiEndpoints.GetPeers(node.GetRequiredService<P2p.NodeP2pHost>()).Value);
        admin.MapPost("/history/verify", async (CancellationToken cancellationToken) =>
        {
            var store = node.GetRequiredService<HistoryStore>();
            return Results.Ok(await store.VerifyAsync(null, cancellationToken));
        });
        MessagingAdminEndpoints.Map(admin, node);
    }
}
