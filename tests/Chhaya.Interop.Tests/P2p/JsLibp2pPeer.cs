// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Text.Json;

namespace Chhaya.Interop.Tests.P2p;

/// <summary>Runs <c>js/libp2p/peer.mjs</c> (real js-libp2p from npm) and reads its JSON lines.</summary>
internal sealed class JsLibp2pPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Threading.Channels.Channel<JsonElement> _lines = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
    private readonly System.Text.StringBuilder _stderr = new();

    private JsLibp2pPeer(Process process)
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

    public static JsLibp2pPeer Start(params string[] args)
    {
        var folder = Folder();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
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

        return new JsLibp2pPeer(Process.Start(info) ?? throw new InvalidOperationException("could not start node"));
    }

    /// <summary>Waits for the next line whose <c>event</c> is <paramref name="eventName"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string eventName, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cancellationToken);
                if (line.GetProperty("event").GetString() == eventName)
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

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
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

        var folder = Path.Combine(dir.FullName, "tests", "Chhaya.Interop.Tests", "js", "libp2p");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException($"js-libp2p is not installed: run `npm ci` in {folder}");
        }

        return folder;
    }
}
