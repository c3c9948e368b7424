// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Mdns;

namespace Chhaya.P2p.Tests.Mdns;

/// <summary>
/// The entry point of this test assembly. Tests run through <c>dotnet test</c> and never call it; the mDNS
/// namespace test starts it as <c>dotnet exec Chhaya.P2p.Tests.dll mdns-node IFACE SECONDS</c> inside a network
/// namespace. It runs a host on 0.0.0.0 with mDNS on IFACE, prints <c>SELF id</c>, then for each discovered peer
/// <c>PEER id addrs</c>, dials it and prints <c>PING id ok</c> (or <c>DIALFAIL id reason</c>).
/// </summary>
public static class MdnsNodeProgram
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 3 || args[0] != "mdns-node")
        {
            await Console.Error.WriteLineAsync("This assembly holds the Chhaya.P2p tests; run them with dotnet test.");
            return 2;
        }

        var lifetime = TimeSpan.FromSeconds(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        using var identity = Ed25519Identity.Generate();
        await using var host = new Libp2pHost(new Libp2pHostOptions
        {
            Identity = identity,
            ListenAddresses = [Multiaddr.Parse("/ip4/0.0.0.0/tcp/0")],
        });
        await host.StartAsync(CancellationToken.None);
        Console.WriteLine($"SELF {host.PeerId}");
        await using var mdns = new MdnsDiscovery(
            new MdnsOptions { Enabled = true, Interfaces = [args[1]], QueryInterval = TimeSpan.FromSeconds(1) },
            host);
        await mdns.StartAsync(CancellationToken.None);
        Console.WriteLine(mdns.IsRunning ? "RUNNING" : "IDLE");
        Console.WriteLine($"NOISE {await SendHostilePacketsAsync(args[1])}");
        using var cts = new CancellationTokenSource(lifetime);
        try
        {
            await foreach (var peer in mdns.Discovered.ReadAllAsync(cts.Token))
            {
                Console.WriteLine($"PEER {peer.PeerId} {string.Join(' ', peer.Addresses)}");
                try
                {
                    var connection = await host.DialAsync(peer.Addresses[0], cts.Token);
                    await host.PingAsync(connection, cts.Token);
                    Console.WriteLine($"PING {peer.PeerId} ok");
                }
#pragma warning disable CA1031 // Report any failure to the test, which decides.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Console.WriteLine($"DIALFAIL {peer.PeerId} {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Lifetime over.
        }

        return 0;
    }

    /// <summary>
    /// Multicasts 300 hostile packets to 224.0.0.251:5353 on <paramref name="interfaceName"/>: random bytes, a
    /// pointer loop, a forward pointer, counts that lie, and a response whose TXT strings are garbage. Both nodes
    /// must keep running and still find each other.
    /// </summary>
    private static async Task<int> SendHostilePacketsAsync(string interfaceName)
    {
        var nic = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().First(n => n.Name == interfaceName);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.SetSocketOption(System.Net.Sockets.SocketOptionLevel.IP, System.Net.Sockets.SocketOptionName.MulticastInterface, System.Net.IPAddress.HostToNetworkOrder(nic.GetIPProperties().GetIPv4Properties().Index));
        var group = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("224.0.0.251"), 5353);
        var fixedPackets = new[]
        {
            Convert.FromHexString("000000000001000000000000c00c000c0001"),
            Convert.FromHexString("000000000001000000000000c020000c0001" + new string('0', 40)),
            Convert.FromHexString("0000840000000fff0fff0fff"),
            new DnsMessage(0, DnsMessage.ResponseFlag, [], [DnsResourceRecord.NamePointer("_p2p._udp.local", "x._p2p._udp.local", 120)], [],
                [DnsResourceRecord.Text("x._p2p._udp.local", [[0xff, 0xfe], "dnsaddr=/ip4/1.2.3.4"u8.ToArray(), "dnsaddr=/p2p/garbage"u8.ToArray()], 120)]).Encode(),
        };
        var sent = 0;
        for (var i = 0; i < 300; i++)
        {
            var packet = i % 4 == 0 ? fixedPackets[i / 4 % fixedPackets.Length] : System.Security.Cryptography.RandomNumberGenerator.GetBytes(1 + (i * 37 % 1400));
            await socket.SendToAsync(packet, group);
            sent++;
        }

        return sent;
    }
}
