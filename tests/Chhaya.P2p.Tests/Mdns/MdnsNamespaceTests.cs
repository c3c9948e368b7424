// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Chhaya.P2p.Tests.Mdns;

/// <summary>
/// Two Chhaya hosts, each in its own network namespace with no peer configured, find each other through mDNS
/// on the veth link between them, dial the discovered address and ping, after each has multicast 300 hostile
/// packets at the other. This is the only test that enables mDNS.
/// </summary>
public class MdnsNamespaceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_hosts_in_separate_network_namespaces_discover_each_other_and_ping()
    {
        using var spaces = NetworkNamespaces.Create();
        var dotnet = DotnetHost();
        var assembly = typeof(MdnsNodeProgram).Assembly.Location;
        var lines = new ConcurrentQueue<string>();
        using var a = Start(spaces, spaces.NamespaceA, spaces.VethA, "A", dotnet, assembly, lines);
        using var b = Start(spaces, spaces.NamespaceB, spaces.VethB, "B", dotnet, assembly, lines);
        try
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < Deadline && !(Has(lines, "A PING") && Has(lines, "B PING")))
            {
                if (a.HasExited && b.HasExited)
                {
                    break;
                }

                await Task.Delay(100);
            }

            var log = string.Join('\n', lines);
            var selfA = Self(lines, "A");
            var selfB = Self(lines, "B");
            Assert.True(selfA is not null && selfB is not null, "a node did not start:\n" + log);
            Assert.Contains($"A PEER {selfB} ", log);
            Assert.Contains($"B PEER {selfA} ", log);
            Assert.Contains($"A PING {selfB} ok", log);
            Assert.Contains($"B PING {selfA} ok", log);

            // Each node saw its own responses too (multicast loopback) and must have ignored them.
            Assert.DoesNotContain($"A PEER {selfA}", log);
            Assert.DoesNotContain($"B PEER {selfB}", log);

            // Both multicast 300 hostile packets first; both still run.
            Assert.Contains("A NOISE 300", log);
            Assert.Contains("B NOISE 300", log);
            Assert.False(a.HasExited || b.HasExited, "a node exited:\n" + log);
            Assert.All(lines.Where(l => l.StartsWith("A PEER ", StringComparison.Ordinal)), l => Assert.StartsWith($"A PEER {selfB} ", l, StringComparison.Ordinal));
            Assert.All(lines.Where(l => l.StartsWith("B PEER ", StringComparison.Ordinal)), l => Assert.StartsWith($"B PEER {selfA} ", l, StringComparison.Ordinal));

            // The addresses announced are the veth ones, not loopback.
            Assert.Contains("/ip4/10.77.0.", log);
            Assert.DoesNotContain("PEER " + selfB + " /ip4/127.", log);
        }
        finally
        {
            Stop(a);
            Stop(b);
        }
    }

    private static Process Start(NetworkNamespaces spaces, string space, string veth, string tag, string dotnet, string assembly, ConcurrentQueue<string> lines)
    {
        var p = spaces.StartIn(space, dotnet, "exec", assembly, "mdns-node", veth, "50");
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(tag + " " + e.Data);
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(tag + " stderr: " + e.Data);
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
        }
    }

    private static bool Has(ConcurrentQueue<string> lines, string prefix) => lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal));

    private static string? Self(ConcurrentQueue<string> lines, string tag) =>
        lines.FirstOrDefault(l => l.StartsWith(tag + " SELF ", StringComparison.Ordinal))?[(tag.Length + 6)..];

    private static string DotnetHost()
    {
        var path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
