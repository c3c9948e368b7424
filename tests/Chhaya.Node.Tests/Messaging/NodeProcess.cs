// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Chhaya.Node.Tests.Messaging;

/// <summary>
/// A real <c>chhaya run</c> process on loopback with a fixed libp2p port (so peers can be configured before it
/// starts), mDNS off and loopback-only dialing; its output is kept for the failure message.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the node printed (for assertion messages).</summary>
    public string Tail
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return $"--- {Name} ---\n" + (text.Length > 6000 ? text[^6000..] : text);
            }
        }
    }

    /// <summary>A free TCP port on 127.0.0.1 (bound and released; used right after).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static NodeProcess Start(string name, string dataDirectory, int p2pPort, IEnumerable<string> configuration)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chhaya.dll"));
        string[] arguments =
        [
            "run", "--data-dir", dataDirectory, "--urls", "http://127.0.0.1:0", "--p2p-listen", $"/ip4/127.0.0.1/tcp/{p2pPort}",
            "--P2p:Mdns:Enabled=false", "--P2p:LoopbackOnly=true", "--Logging:LogLevel:Default=Information",
            .. configuration,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new NodeProcess(name, Process.Start(start)!);
    }

    /// <summary>Stops the node abruptly (SIGKILL), as a crash or a pulled plug would.</summary>
    public void Kill()
    {
        if (!_disposed && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _disposed = true;
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
