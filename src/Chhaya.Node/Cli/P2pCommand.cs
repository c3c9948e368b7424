// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using System.Globalization;
using Chhaya.Node.Identity;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Noise;
using Chhaya.Safety;

namespace Chhaya.Node.Cli;

/// <summary><c>chhaya p2p id</c> and <c>chhaya p2p ping MULTIADDR</c>, like <c>ipfs id</c> and <c>ipfs ping</c>.</summary>
internal static class P2pCommand
{
    public static Command Create()
    {
        var dataDir = ChhayaCli.DataDirOption();
        var id = new Command("id", "Print this node's libp2p peer id (created with the node identity on first use).") { dataDir };
        id.SetAction(parse =>
        {
            var directory = NodeConfiguration.OpenDataDirectory(NodeConfiguration.Load(parse.GetValue(dataDir), []));
            using var identity = NodeIdentity.LoadOrCreate(directory.IdentityKeyFile);
            using var p2p = Ed25519Identity.FromSeed(identity.Seed.ReadOnlySpan);
            Console.WriteLine(p2p.PeerId);
            return 0;
        });

        var address = new Argument<string>("MULTIADDR") { Description = "The peer to ping, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…" };
        var count = new Option<int>("--count", "-n") { Description = "How many pings (1 to 100).", DefaultValueFactory = _ => 3 };
        var ping = new Command("ping", "Dial a peer, run identify, ping it, and print its agent, protocols and round-trip times.") { address, count };
        ping.SetAction(async (parse, cancellationToken) => await PingAsync(parse.GetRequiredValue(address), parse.GetValue(count), cancellationToken));

        var peersDataDir = ChhayaCli.DataDirOption();
        var peers = new Command("peers", "List the peers a running node is connected to, with their protocols (over the local admin channel).") { peersDataDir };
        peers.SetAction(async (parse, cancellationToken) => await PeersAsync(parse.GetValue(peersDataDir), cancellationToken));

        return new Command("p2p", "libp2p identity and diagnostics.") { id, ping, peers };
    }

    private static async Task<int> PeersAsync(string? dataDir, CancellationToken cancellationToken)
    {
        var directory = NodeConfiguration.OpenDataDirectory(NodeConfiguration.Load(dataDir, []));
        using var client = Admin.AdminClient.Create(directory.AdminSocket);
        IReadOnlyList<Api.PeerView>? peers;
        try
        {
            peers = await client.GetFromJsonAsync<IReadOnlyList<Api.PeerView>>("/admin/v1/peers", cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Net.Sockets.SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            await Console.Error.WriteLineAsync($"chhaya: no node is running with data directory {directory.Path} (nothing answers on {directory.AdminSocket}). Start one with 'chhaya run'.");
            return 1;
        }

        peers ??= [];
        Console.WriteLine($"{peers.Count} connected peer(s)");
        foreach (var peer in peers)
        {
            Console.WriteLine($"{peer.PeerId}  {peer.Direction.ToLowerInvariant(),-8}  {peer.Address}  {peer.AgentVersion ?? "(agent unknown)"}");
            foreach (var protocol in peer.Protocols)
            {
                Console.WriteLine($"    {protocol}");
            }
        }

        return 0;
    }

    private static async Task<int> PingAsync(string text, int count, CancellationToken cancellationToken)
    {
        if (count is < 1 or > 100)
        {
            await Console.Error.WriteLineAsync("chhaya: --count must be between 1 and 100.");
            return 1;
        }

        Multiaddr target;
        try
        {
            target = Multiaddr.Parse(text);
        }
        catch (MalformedInputException e)
        {
            await Console.Error.WriteLineAsync($"chhaya: '{text}' is not a multiaddr: {e.Message}");
            return 1;
        }

        // A throwaway identity: pinging must not need (or lock) a node's data directory.
        using var identity = Ed25519Identity.Generate();
        await using var host = new Libp2pHost(new Libp2pHostOptions { Identity = identity, AgentVersion = $"chhaya/{Hosting.NodeVersion.Current}" });
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30 + count));
        try
        {
            await host.StartAsync(deadline.Token);
            var connection = await host.DialAsync(target, deadline.Token);
            Console.WriteLine($"peer:      {connection.RemotePeer}");
            var info = await host.IdentifyAsync(connection, deadline.Token);
            Console.WriteLine($"agent:     {info.AgentVersion}");
            Console.WriteLine($"protocols: {string.Join(", ", info.Protocols)}");
            for (var i = 0; i < count; i++)
            {
                var rtt = await host.PingAsync(connection, deadline.Token);
                Console.WriteLine($"pong:      {rtt.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture)} ms");
            }

            return 0;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MalformedInputException or OperationCanceledException
            or InvalidOperationException or TimeoutException or NoiseHandshakeException or ProtocolNotSupportedException)
        {
            await Console.Error.WriteLineAsync($"chhaya: ping {text} failed: {e.Message}");
            return 1;
        }
    }
}
