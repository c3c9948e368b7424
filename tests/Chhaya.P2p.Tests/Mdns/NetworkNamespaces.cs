// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Security.Cryptography;

namespace Chhaya.P2p.Tests.Mdns;

/// <summary>
/// Two network namespaces joined by a veth pair (10.77.0.1/24 and 10.77.0.2/24, each with a 224.0.0.0/4 route
/// on its veth). The veth is created inside the first namespace with its peer inside the second, so no interface
/// ever exists in the machine's own namespace and nothing sent in the test leaves the pair. Needs root and
/// iproute2; disposing deletes both namespaces (and with them the veth pair).
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    private NetworkNamespaces(string ip, string suffix)
    {
        Ip = ip;
        NamespaceA = "chhaya-mdns-a-" + suffix;
        NamespaceB = "chhaya-mdns-b-" + suffix;
        VethA = "chma" + suffix;
        VethB = "chmb" + suffix;
    }

    public string Ip { get; }

    public string NamespaceA { get; }

    public string NamespaceB { get; }

    public string VethA { get; }

    public string VethB { get; }

    public static NetworkNamespaces Create()
    {
        var ip = new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" }.FirstOrDefault(File.Exists);
        if (ip is null)
        {
            Assert.Fail("the mDNS test needs `ip` from iproute2 (apt-get install iproute2) to create network namespaces");
        }

        var ns = new NetworkNamespaces(ip, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));
        try
        {
            ns.Run("netns", "add", ns.NamespaceA);
            ns.Run("netns", "add", ns.NamespaceB);
            ns.Run("-n", ns.NamespaceA, "link", "add", ns.VethA, "type", "veth", "peer", "name", ns.VethB, "netns", ns.NamespaceB);
            foreach (var (space, veth, address) in new[] { (ns.NamespaceA, ns.VethA, "10.77.0.1/24"), (ns.NamespaceB, ns.VethB, "10.77.0.2/24") })
            {
                ns.Run("-n", space, "link", "set", "lo", "up");
                ns.Run("-n", space, "addr", "add", address, "dev", veth);
                ns.Run("-n", space, "link", "set", veth, "up");
                ns.Run("-n", space, "route", "add", "224.0.0.0/4", "dev", veth);
            }
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>Starts <paramref name="file"/> with <paramref name="args"/> inside <paramref name="space"/>.</summary>
    public Process StartIn(string space, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(Ip)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", space, file }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
    }

    public void Dispose()
    {
        TryRun("netns", "del", NamespaceA);
        TryRun("netns", "del", NamespaceB);
    }

    private void Run(params string[] args)
    {
        var (code, output) = Execute(args);
        if (code != 0)
        {
            Assert.Fail($"`ip {string.Join(' ', args)}` failed ({code}): {output.Trim()}. The mDNS test needs root (CAP_NET_ADMIN) and `ip netns`.");
        }
    }

    private void TryRun(params string[] args) => Execute(args);

    private (int Code, string Output) Execute(string[] args)
    {
        var psi = new ProcessStartInfo(Ip) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(10_000))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
