// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using System.Text.Json;
using Chhaya.Node.Identity;
using Chhaya.Node.Witnessing;
using Chhaya.Testing;
using Chhaya.Witness.Following;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.Tests;

public sealed class WebhookNotifierTests
{
    [Fact]
    public async Task Alerts_are_posted_as_json_and_retried_after_a_failure()
    {
        var received = new ConcurrentQueue<string>();
        var calls = 0;
        await using var receiver = await StartReceiverAsync(async context =>
        {
            // The first delivery fails, so the notifier must retry.
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 503;
                return;
            }

            using var reader = new StreamReader(context.Request.Body);
            received.Enqueue(await reader.ReadToEndAsync());
        });
        var url = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/hook";

        using var temp = new TempDirectory();
        using var identity = NodeIdentity.LoadOrCreate(Path.Combine(temp.Path, "identity.key"));
        using var notifier = new WebhookNotifier(Options.Create(new WitnessOptions { Webhooks = [url] }), identity, TimeProvider.System, NullLogger<WebhookNotifier>.Instance);
        await notifier.StartAsync(CancellationToken.None);
        notifier.Notify(new WitnessAlert("conflicting-heads", "critical", "ab12", 7, "two roots for epoch 7", [1, 2, 3]));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (received.IsEmpty)
        {
            await Task.Delay(50, timeout.Token);
        }

        await notifier.StopAsync(CancellationToken.None);
        using var json = JsonDocument.Parse(received.Single());
        var root = json.RootElement;
        Assert.Equal("conflicting-heads", root.GetProperty("kind").GetString());
        Assert.Equal("critical", root.GetProperty("severity").GetString());
        Assert.Equal("ab12", root.GetProperty("directory").GetString());
        Assert.Equal(7UL, root.GetProperty("epoch").GetUInt64());
        Assert.Equal("AQID", root.GetProperty("evidence").GetString());
        Assert.Equal(identity.PublicKeyHex, root.GetProperty("node").GetString());
        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("/relative")]
    public void A_webhook_that_is_not_an_http_url_is_refused_at_start(string url)
    {
        using var temp = new TempDirectory();
        using var identity = NodeIdentity.LoadOrCreate(Path.Combine(temp.Path, "identity.key"));
        var e = Assert.Throws<InvalidOperationException>(() => new WebhookNotifier(Options.Create(new WitnessOptions { Webhooks = [url] }), identity, TimeProvider.System, NullLogger<WebhookNotifier>.Instance));
        Assert.Contains("Witness:Webhooks", e.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartReceiverAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hook", handler);
        await app.StartAsync();
        return app;
    }
}
