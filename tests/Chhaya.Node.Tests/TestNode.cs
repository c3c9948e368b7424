// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Chhaya.Node.Hosting;
using Chhaya.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Chhaya.Node.Tests;

/// <summary>A real node on a free port of 127.0.0.1, with its own data directory.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;

    private TestNode(WebApplication app, string dataDirectory, TempDirectory? ownedDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownedDirectory = ownedDirectory;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public HistoryStore Store => App.Services.GetRequiredService<HistoryStore>();

    public static async Task<TestNode> StartAsync(string? dataDirectory = null, params string[] configuration)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var path = dataDirectory ?? owned!.Path;
        // Loopback only: tests never listen beyond this machine.
        // No multicast discovery and no dialing beyond loopback, whatever peers advertise.
        string[] contained = ["--P2p:Mdns:Enabled=false", "--P2p:LoopbackOnly=true", .. configuration];
        var app = NodeHost.Build(new NodeRunArguments(path, "http://127.0.0.1:0", contained, "/ip4/127.0.0.1/tcp/0"));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await app.StartAsync(timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            owned?.Dispose();
            throw;
        }

        return new TestNode(app, path, owned);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _ownedDirectory?.Dispose();
    }
}
