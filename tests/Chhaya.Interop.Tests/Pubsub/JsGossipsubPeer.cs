// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Text.Json;

namespace Chhaya.Interop.Tests.Pubsub;

/// <summary>Runs <c>js/gossipsub/peer.mjs</c> (real js-libp2p with @libp2p/gossipsub from npm) and talks to it by JSON lines.</summary>
internal sealed class JsGossipsubPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Threading.Channels.Channel<JsonElement> _lines = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
    private readonly System.Text.StringBuilder _stderr = new();

    private JsGossipsubPeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.StartsWith('{'))
            {
                _lines.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static JsGossipsubPeer Start(params string[] args)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("peer.mjs");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return new JsGossipsubPeer(Process.Start(info) ?? throw new InvalidOperationException("could not start node"));
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the next line with <c>event</c> = <paramref name="eventName"/> that satisfies <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string eventName, CancellationToken cancellationToken, Func<JsonElement, bool>? match = null)
    {
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cancellationToken);
                if (line.GetProperty("event").GetString() == "error")
                {
                    throw new InvalidOperationException("js reported an error: " + line);
                }

                if (line.GetProperty("event").GetString() == eventName && (match is null || match(line)))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"js-libp2p did not report '{eventName}'. stderr:\n{StandardError}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private static string Folder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Chhaya.sln not found above " + AppContext.BaseDirectory);
        }

        var folder = Path.Combine(dir.FullName, "tests", "Chhaya.Interop.Tests", "js", "gossipsub");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException($"@libp2p/gossipsub is not installed: run `npm ci` in {folder}");
        }

        return folder;
    }
}
