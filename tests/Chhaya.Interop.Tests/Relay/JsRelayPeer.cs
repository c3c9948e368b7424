// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Text.Json;

namespace Chhaya.Interop.Tests.Relay;

/// <summary>Runs <c>js/relay/relay.mjs</c> (js-libp2p with @libp2p/circuit-relay-v2 and @libp2p/autonat) and reads its JSON lines.</summary>
internal sealed class JsRelayPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Threading.Channels.Channel<JsonElement> _lines = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
    private readonly System.Text.StringBuilder _stderr = new();

    private JsRelayPeer(Process process)
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

    public static JsRelayPeer Start(params string[] args)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("relay.mjs");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return new JsRelayPeer(Process.Start(info) ?? throw new InvalidOperationException("could not start node"));
    }

    /// <summary>Waits for the next line whose <c>event</c> is one of <paramref name="eventNames"/>.</summary>
    public async Task<JsonElement> WaitForAsync(CancellationToken cancellationToken, params string[] eventNames)
    {
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cancellationToken);
                if (eventNames.Contains(line.GetProperty("event").GetString()))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"js-libp2p did not report '{string.Join("|", eventNames)}'. stderr:\n{StandardError}");
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

        var folder = Path.Combine(dir.FullName, "tests", "Chhaya.Interop.Tests", "js", "relay");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException($"js-libp2p is not installed for the relay tests: run `npm ci` in {folder}");
        }

        return folder;
    }
}
