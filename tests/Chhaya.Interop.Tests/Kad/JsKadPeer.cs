// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chhaya.Interop.Tests.Kad;

/// <summary>Runs <c>js/kad/peer.mjs</c> (js-libp2p with @libp2p/kad-dht from npm) and sends it JSON commands.</summary>
internal sealed class JsKadPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource<JsonElement> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();
    private int _nextId;

    private JsKadPeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line || !line.StartsWith('{'))
            {
                return;
            }

            var json = JsonDocument.Parse(line).RootElement.Clone();
            if (json.TryGetProperty("event", out var ev) && ev.GetString() == "listening")
            {
                _listening.TrySetResult(json);
            }
            else if (json.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var tcs))
            {
                tcs.TrySetResult(json);
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

    public static JsKadPeer Start()
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
        return new JsKadPeer(Process.Start(info) ?? throw new InvalidOperationException("could not start node"));
    }

    public async Task<JsonElement> ListeningAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _listening.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("js-libp2p did not start. stderr:\n" + StandardError);
        }
    }

    /// <summary>Sends one command and returns its answer; fails the test when js reports an error.</summary>
    public async Task<JsonElement> RunAsync(JsonObject command, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        command["id"] = id;
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        await _process.StandardInput.WriteLineAsync(command.ToJsonString().AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
        JsonElement reply;
        try
        {
            reply = await tcs.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"js-libp2p did not answer {command.ToJsonString()}. stderr:\n{StandardError}");
        }

        if (!reply.GetProperty("ok").GetBoolean())
        {
            throw new InvalidOperationException($"js-libp2p failed {command["cmd"]}: {reply.GetProperty("error").GetString()}");
        }

        return reply;
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

        var folder = Path.Combine(dir.FullName, "tests", "Chhaya.Interop.Tests", "js", "kad");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException($"@libp2p/kad-dht is not installed: run `npm ci` in {folder}");
        }

        return folder;
    }
}
