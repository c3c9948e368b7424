// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chhaya.Node.Dashboard;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Chhaya.Node.Tests.Browser;

/// <summary>
/// The dashboard as an operator sees it: a real witness node that holds quorum certificates and has caught
/// an equivocating directory, loaded in headless chromium. Everything is asserted on the rendered page
/// (the DOM after load, with the stylesheet applied), not on the HTML the server sent.
/// </summary>
public sealed partial class DashboardBrowserTests(ITestOutputHelper output)
{
    /// <summary>Bound on the network reaching the state under test (certificates and an alert).</summary>
    private static readonly TimeSpan NetworkLimit = TimeSpan.FromSeconds(180);

    /// <summary>Bound on everything the browser does.</summary>
    private static readonly TimeSpan BrowserLimit = TimeSpan.FromSeconds(90);

    /// <summary>Reads what an operator sees, in one evaluation so a meta refresh cannot split it.</summary>
    private const string ReadPage = """
        (() => {
          const dd = label => {
            const dt = [...document.querySelectorAll('dt')].find(d => d.textContent === label);
            return dt ? dt.nextElementSibling.textContent : null;
          };
          const banner = document.querySelector('#critical');
          const first = document.body.firstElementChild;
          const rect = banner ? banner.getBoundingClientRect() : null;
          const dot = document.querySelector('svg.chart circle.certified');
          return {
            title: document.title,
            firstId: first ? first.id : null,
            bannerRole: banner ? banner.getAttribute('role') : null,
            bannerText: banner ? banner.innerText : null,
            bannerTop: rect ? rect.top : null,
            bannerHeight: rect ? rect.height : null,
            bannerBackground: banner ? getComputedStyle(banner).backgroundColor : null,
            bannerLink: banner && banner.querySelector('a') ? banner.querySelector('a').getAttribute('href') : null,
            certified: dd('Latest certified epoch'),
            status: document.querySelector('.directory .status') ? document.querySelector('.directory .status').textContent : null,
            certifiedDots: document.querySelectorAll('svg.chart circle.certified').length,
            certifiedDotFill: dot ? getComputedStyle(dot).fill : null,
            scripts: document.scripts.length,
            bodyText: document.body.innerText.length
          };
        })()
        """;

    [Fact]
    public async Task Chromium_renders_the_certificate_and_the_alert_banner_first_with_no_script_errors_and_no_request_beyond_loopback()
    {
        // Before the network starts, so a missing browser fails at once.
        HeadlessChromium.EnsureInstalled();
        // The fork comes once every witness has joined the gossip mesh, even on a slow machine; the forged head is
        // gossiped again every epoch after it.
        await using var network = await WitnessNetwork.StartAsync(witnesses: 3, threshold: 2, epochSeconds: 0.5, equivocateAt: 20);
        var witness = network.Witnesses[0];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await WaitForCertificateAndAlertAsync(witness);
        output.WriteLine($"certificate and alert held after {clock.Elapsed.TotalSeconds:F1} s");
        clock.Restart();

        using var limit = new CancellationTokenSource(BrowserLimit);
        var ct = limit.Token;
        await using var chromium = await HeadlessChromium.LaunchAsync(ct);
        var devtools = chromium.DevTools;
        var page = await chromium.OpenPageAsync(ct);
        foreach (var domain in new[] { "Page", "Runtime", "Log", "Network" })
        {
            await devtools.SendAsync(domain + ".enable", null, page, ct);
        }

        var url = new Uri(witness.Http.BaseAddress!, "/");
        output.WriteLine($"loading {url} in {HeadlessChromium.ExecutablePath}");
        var navigation = await devtools.SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() }, page, ct);
        Assert.Null(navigation["errorText"]);

        JsonObject? rendered = null;
        try
        {
            // The page reloads itself every few seconds; read it right after a load, and again after the next
            // load if a reload destroyed the page under the evaluation.
            for (var load = 1; load <= 3 && rendered is null; load++)
            {
                await devtools.WaitForAsync(events => Count(events, "Page.loadEventFired", page) >= load, ct);
                rendered = await EvaluateAsync(devtools, page, ReadPage, ct);
            }

            Assert.NotNull(rendered);
            output.WriteLine(rendered.ToJsonString());

            // The alert is the first thing on the page, at the very top, red, and it names what happened.
            Assert.StartsWith("ALERT", Text(rendered, "title"), StringComparison.Ordinal);
            Assert.Equal("critical", Text(rendered, "firstId"));
            Assert.Equal("alert", Text(rendered, "bannerRole"));
            Assert.Equal(0, rendered["bannerTop"]!.GetValue<double>());
            Assert.True(rendered["bannerHeight"]!.GetValue<double>() > 40, "the banner is visible, not collapsed");
            Assert.Equal("rgb(183, 28, 28)", Text(rendered, "bannerBackground"));
            var banner = Text(rendered, "bannerText");
            Assert.Contains("conflicting-heads", banner, StringComparison.Ordinal);
            Assert.Contains(DashboardPage.Short(network.DirectoryId), banner, StringComparison.Ordinal);
            Assert.Matches(" · epoch [0-9]+ · ", banner);
            Assert.Matches("^/api/v1/equivocations/[0-9]+/bundle$", Text(rendered, "bannerLink"));
            Assert.Equal("equivocation", Text(rendered, "status"));

            // The certificate: an epoch this node holds a certificate for, its signers and the quorum's threshold.
            var certificate = Certified().Match(Text(rendered, "certified"));
            Assert.True(certificate.Success, $"Latest certified epoch reads '{Text(rendered, "certified")}'");
            var epoch = long.Parse(certificate.Groups["epoch"].Value, CultureInfo.InvariantCulture);
            var signers = int.Parse(certificate.Groups["signers"].Value, CultureInfo.InvariantCulture);
            Assert.InRange(signers, 2, 3);
            Assert.Equal("2", certificate.Groups["threshold"].Value);
            Assert.Equal("3", certificate.Groups["size"].Value);
            using (var db = witness.Store.Contexts.Create())
            {
                Assert.True(await db.QuorumCertificates.AnyAsync(q => q.DirectoryId == network.DirectoryId && q.Epoch == epoch, ct));
            }

            // The chart is drawn and styled by the stylesheet the CSP allows; no script is on the page at all.
            Assert.True(rendered["certifiedDots"]!.GetValue<int>() >= 1);
            Assert.Equal("rgb(46, 125, 50)", Text(rendered, "certifiedDotFill"));
            Assert.Equal(0, rendered["scripts"]!.GetValue<int>());

            // The meta refresh really reloads the page in a browser (the live update).
            var loads = Count(devtools.Events, "Page.loadEventFired", page);
            await devtools.WaitForAsync(events => Count(events, "Page.loadEventFired", page) > loads, ct);

            await SaveScreenshotAsync(devtools, page, ct);
            output.WriteLine($"browser checks took {clock.Elapsed.TotalSeconds:F1} s");

            // No script error, no console error, no blocked or failed resource, nothing beyond 127.0.0.1.
            var events = devtools.Events.Where(e => e.SessionId == page).ToList();
            var exceptions = events.Where(e => e.Method == "Runtime.exceptionThrown").Select(e => e.Parameters.ToJsonString()).ToList();
            Assert.True(exceptions.Count == 0, "script errors: " + string.Join('\n', exceptions));
            var errors = events.Where(e => (e.Method == "Log.entryAdded" && e.Parameters["entry"]?["level"]?.GetValue<string>() == "error")
                    || (e.Method == "Runtime.consoleAPICalled" && e.Parameters["type"]?.GetValue<string>() is "error" or "assert"))
                .Select(e => e.Parameters.ToJsonString()).ToList();
            Assert.True(errors.Count == 0, "console errors: " + string.Join('\n', errors));
            var failed = events.Where(e => e.Method == "Network.loadingFailed").Select(e => e.Parameters.ToJsonString()).ToList();
            Assert.True(failed.Count == 0, "failed requests: " + string.Join('\n', failed));

            var statuses = events.Where(e => e.Method == "Network.responseReceived")
                .Select(e => (Url: e.Parameters["response"]!["url"]!.GetValue<string>(), Status: e.Parameters["response"]!["status"]!.GetValue<int>())).ToList();
            Assert.All(statuses, s => Assert.True(s.Status == 200, $"{s.Url} answered {s.Status}"));

            var requested = events.Where(e => e.Method == "Network.requestWillBeSent").Select(e => new Uri(e.Parameters["request"]!["url"]!.GetValue<string>())).ToList();
            foreach (var request in requested.DistinctBy(r => r.AbsoluteUri))
            {
                output.WriteLine("requested " + request);
            }

            Assert.Contains(requested, r => r.AbsolutePath == "/");
            Assert.Contains(requested, r => r.AbsolutePath == "/dashboard.css");
            Assert.All(requested, r =>
            {
                Assert.Equal("http", r.Scheme);
                Assert.Equal("127.0.0.1", r.Host);
                Assert.Equal(url.Port, r.Port);
            });
        }
        catch (Exception) when (LogBrowser(chromium))
        {
            throw;
        }
    }

    /// <summary>Waits, over plain HTTP, until the node holds a certificate and has raised the critical alert.</summary>
    private static async Task WaitForCertificateAndAlertAsync(TestNode node)
    {
        using var timeout = new CancellationTokenSource(NetworkLimit);
        var last = "";
        while (!timeout.IsCancellationRequested)
        {
            try
            {
                last = await node.Http.GetStringAsync(new Uri("/", UriKind.Relative), timeout.Token);
                if (last.Contains("id=\"critical\"", StringComparison.Ordinal) && Certified().IsMatch(last))
                {
                    return;
                }

                await Task.Delay(250, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.Fail($"The node held no certificate and alert within {NetworkLimit.TotalSeconds} s. Last page:\n{last}");
    }

    /// <summary>Evaluates an expression in the page; null when a reload replaced the page during the evaluation.</summary>
    private static async Task<JsonObject?> EvaluateAsync(DevToolsConnection devtools, string page, string expression, CancellationToken ct)
    {
        JsonObject result;
        try
        {
            result = await devtools.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, page, ct);
        }
        catch (DevToolsException)
        {
            return null;
        }

        return result["exceptionDetails"] is null ? result["result"]?["value"] as JsonObject : null;
    }

    /// <summary>A full-page PNG in the test output directory, to look at when the page changes.</summary>
    private async Task SaveScreenshotAsync(DevToolsConnection devtools, string page, CancellationToken ct)
    {
        var layout = await devtools.SendAsync("Page.getLayoutMetrics", null, page, ct);
        var size = layout["cssContentSize"]!;
        var clip = new JsonObject
        {
            ["x"] = 0,
            ["y"] = 0,
            ["width"] = Math.Ceiling(size["width"]!.GetValue<double>()),
            ["height"] = Math.Min(Math.Ceiling(size["height"]!.GetValue<double>()), 8000),
            ["scale"] = 1,
        };
        var shot = await devtools.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true, ["clip"] = clip }, page, ct);
        var png = Convert.FromBase64String(shot["data"]!.GetValue<string>());
        Assert.True(png.Length > 1000 && png[0] == 0x89 && png[1] == (byte)'P', "the screenshot is a PNG");
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        System.IO.Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "dashboard-certificate-and-alert.png");
        await File.WriteAllBytesAsync(file, png, ct);
        output.WriteLine($"screenshot: {file} ({png.Length} bytes)");
    }

    private bool LogBrowser(HeadlessChromium chromium)
    {
        output.WriteLine("DevTools events:");
        foreach (var e in chromium.DevTools?.Events.TakeLast(100) ?? [])
        {
            output.WriteLine($"{e.Method} {e.Parameters.ToJsonString()}");
        }

        output.WriteLine("chromium log:\n" + chromium.RecentLog);
        return false;
    }

    private static int Count(IReadOnlyList<DevToolsEvent> events, string method, string session) =>
        events.Count(e => e.Method == method && e.SessionId == session);

    private static string Text(JsonObject value, string name) => value[name]?.GetValue<string>() ?? "";

    [GeneratedRegex("(?<epoch>[0-9]+) · (?<signers>[0-9]+) signers / threshold (?<threshold>[0-9]+) of (?<size>[0-9]+)")]
    private static partial Regex Certified();
}
