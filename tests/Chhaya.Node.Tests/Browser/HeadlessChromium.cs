// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Chhaya.Testing;

namespace Chhaya.Node.Tests.Browser;

/// <summary>
/// Debian's chromium, headless, in a throwaway profile, driven over the DevTools protocol. It may reach
/// loopback only: every host name resolves to nothing except 127.0.0.1, and the background services that
/// phone home (component updates, safe browsing, sync, metrics) are turned off.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private const int LogLines = 200;

    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly Queue<string> _log = new();

    private HeadlessChromium(Process process, TempDirectory profile)
    {
        _process = process;
        _profile = profile;
    }

    public DevToolsConnection DevTools { get; private set; } = null!;

    /// <summary>The last lines chromium wrote to stderr, for failure messages.</summary>
    public string RecentLog
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>Starts chromium and connects to its browser endpoint; fails the test with a clear message if chromium is not installed.</summary>
    public static async Task<HeadlessChromium> LaunchAsync(CancellationToken cancellationToken)
    {
        EnsureInstalled();
        var profile = new TempDirectory();
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--headless",
            // CI runs as root, where chromium's sandbox cannot start.
            "--no-sandbox",
            "--user-data-dir=" + profile.Path,
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
            // Nothing but loopback: names resolve to nothing, no proxy, no background traffic.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--no-proxy-server",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-domain-reliability",
            "--disable-sync",
            "--disable-client-side-phishing-detection",
            "--disable-default-apps",
            "--disable-extensions",
            "--metrics-recording-only",
            "--no-first-run",
            "--no-default-browser-check",
            "--no-pings",
            "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater,AutofillServerCommunication",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--mute-audio",
            "--password-store=basic",
            "--window-size=1280,900",
            "about:blank",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{ExecutablePath} did not start.");
        var browser = new HeadlessChromium(process, profile);
        process.ErrorDataReceived += (_, e) => browser.Remember(e.Data);
        process.OutputDataReceived += (_, e) => browser.Remember(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var endpoint = await browser.WaitForEndpointAsync(cancellationToken);
            browser.DevTools = await DevToolsConnection.ConnectAsync(endpoint, cancellationToken);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Fails the test, never skips it, when chromium is not installed.</summary>
    public static void EnsureInstalled()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"{ExecutablePath} is missing: the dashboard's browser test needs Debian's 'chromium' package " +
                "(apt-get install -y chromium; scripts/test installs it when run as root).");
        }
    }

    /// <summary>Opens a new blank tab and returns the DevTools session that drives it.</summary>
    public async Task<string> OpenPageAsync(CancellationToken cancellationToken)
    {
        var target = await DevTools.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancellationToken);
        var attached = await DevTools.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, null, cancellationToken);
        return attached["sessionId"]!.GetValue<string>();
    }

    /// <summary>Chromium writes the port it chose and the browser's path into DevToolsActivePort in the profile.</summary>
    private async Task<Uri> WaitForEndpointAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var file = Path.Combine(_profile.Path, "DevToolsActivePort");
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"chromium exited with code {_process.ExitCode} before opening its DevTools port:\n{RecentLog}");
            }

            if (File.Exists(file))
            {
                var lines = (await File.ReadAllTextAsync(file, timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (lines.Length >= 2 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                    && lines[1].StartsWith("/devtools/browser/", StringComparison.Ordinal))
                {
                    return new Uri($"ws://127.0.0.1:{port}{lines[1]}");
                }
            }

            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"chromium did not open its DevTools port within 30 s:\n{RecentLog}");
            }
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > LogLines)
            {
                _log.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (DevTools is not null)
        {
            await DevTools.DisposeAsync();
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or the kill is still under way; the profile is removed either way.
        }

        _process.Dispose();
        _profile.Dispose();
    }
}
