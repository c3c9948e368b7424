// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Http.Json;
using Chhaya.Node.Api;

namespace Chhaya.Node.Tests;

/// <summary>The node's libp2p side as an operator sees it: its peer id, and a ping from the CLI.</summary>
public class P2pCliTests
{
    [Fact]
    public async Task The_cli_pings_a_running_node_over_libp2p_and_sees_its_agent()
    {
        await using var node = await TestNode.StartAsync();
        var status = await node.Http.GetFromJsonAsync<NodeStatus>("/api/v1/status");
        var address = Assert.Single(status!.P2pAddresses);
        Assert.StartsWith("/ip4/127.0.0.1/tcp/", address, StringComparison.Ordinal);
        Assert.EndsWith("/p2p/" + status.PeerId, address, StringComparison.Ordinal);

        var (code, stdout, stderr) = await ChhayaProcess.RunAsync("p2p", "ping", address, "--count", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains($"peer:      {status.PeerId}", stdout, StringComparison.Ordinal);
        Assert.Contains("agent:     chhaya/0.1.0", stdout, StringComparison.Ordinal);
        Assert.Contains("/ipfs/ping/1.0.0", stdout, StringComparison.Ordinal);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.StartsWith("pong:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task P2p_id_prints_the_peer_id_the_node_runs_with()
    {
        await using var node = await TestNode.StartAsync();
        var status = await node.Http.GetFromJsonAsync<NodeStatus>("/api/v1/status");
        var (code, stdout, _) = await ChhayaProcess.RunAsync("p2p", "id", "--data-dir", node.DataDirectory);
        Assert.Equal(0, code);
        Assert.Equal(status!.PeerId, stdout.Trim());
        Assert.StartsWith("12D3KooW", status.PeerId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connected_peers_are_listed_by_the_api()
    {
        await using var node = await TestNode.StartAsync();
        var status = await node.Http.GetFromJsonAsync<NodeStatus>("/api/v1/status");
        using var identity = Chhaya.P2p.Identity.Ed25519Identity.Generate();
        await using var peer = new Chhaya.P2p.Hosting.Libp2pHost(new Chhaya.P2p.Hosting.Libp2pHostOptions { Identity = identity });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await peer.StartAsync(timeout.Token);
        await peer.DialAsync(Chhaya.P2p.Addressing.Multiaddr.Parse(status!.P2pAddresses[0]), timeout.Token);

        List<PeerView>? peers = null;
        for (var attempt = 0; attempt < 50 && (peers is null || peers.Count == 0); attempt++)
        {
            peers = await node.Http.GetFromJsonAsync<List<PeerView>>("/api/v1/peers", timeout.Token);
            if (peers!.Count == 0)
            {
                await Task.Delay(100, timeout.Token);
            }
        }

        var seen = Assert.Single(peers!);
        Assert.Equal(identity.PeerId.ToString(), seen.PeerId);
        Assert.Equal("Inbound", seen.Direction);
    }

    [Theory]
    [InlineData("not-a-multiaddr")]
    [InlineData("/ip4/127.0.0.1/tcp/1")]
    public async Task A_ping_that_cannot_succeed_exits_non_zero_with_a_reason(string address)
    {
        var (code, _, stderr) = await ChhayaProcess.RunAsync("p2p", "ping", address, "--count", "1");
        Assert.Equal(1, code);
        Assert.Contains("chhaya:", stderr, StringComparison.Ordinal);
    }
}
