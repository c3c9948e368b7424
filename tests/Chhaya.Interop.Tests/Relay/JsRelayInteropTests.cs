// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.AutoNat;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Protocols;
using Chhaya.P2p.Relay;

namespace Chhaya.Interop.Tests.Relay;

/// <summary>
/// Chhaya's circuit relay v2 and AutoNAT v1 against js-libp2p 3.3.11 with @libp2p/circuit-relay-v2 4.2.13 and
/// @libp2p/autonat 3.0.28, on 127.0.0.1: a js relay between two Chhaya hosts, a Chhaya relay between Chhaya and
/// js in both directions, and a Chhaya AutoNAT probe answered by js.
/// </summary>
public class JsRelayInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Chhaya_reserves_on_a_js_relay_checks_its_voucher_and_chhaya_dials_through_it()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var js = JsRelayPeer.Start("relay");
        var listening = await js.WaitForAsync(cts.Token, "listening");
        var relayAddress = Multiaddr.Parse(listening.GetProperty("addrs")[0].GetString()!);
        await using var target = await Node.StartAsync();
        await using var dialer = await Node.StartAsync();
        var targetClient = new RelayClient(target.Host);
        _ = new RelayClient(dialer.Host);

        var reservation = await targetClient.ReserveAsync(await target.Host.DialAsync(relayAddress, cts.Token), cts.Token);
        Assert.Equal(relayAddress.PeerId, reservation.Relay);
        Assert.Equal(reservation.Relay, reservation.Voucher.Relay);
        Assert.Equal(target.Host.PeerId, reservation.Voucher.Peer);
        Assert.Contains(relayAddress, reservation.RelayAddresses);

        var circuit = CircuitAddresses.Build(relayAddress, target.Host.PeerId);
        var connection = await dialer.Host.DialAsync(circuit, cts.Token);
        Assert.Equal(target.Host.PeerId, connection.RemotePeer);
        Assert.Equal(target.Identity.PublicKey, (await connection.Identified.WaitAsync(cts.Token)).PublicKey);
        Assert.True(await dialer.Host.PingAsync(connection, cts.Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Js_reserves_on_a_chhaya_relay_and_chhaya_dials_it_through_the_relay()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var relay = await Node.StartAsync();
        var server = new RelayServer(relay.Host, relay.Identity, Unlimited());
        await using var js = JsRelayPeer.Start("target", relay.Address.ToString());
        var reserved = await js.WaitForAsync(cts.Token, "reserved", "failed");
        Assert.True(reserved.GetProperty("event").GetString() == "reserved", reserved.ToString() + js.StandardError);
        var jsPeer = PeerId.Parse(reserved.GetProperty("peerId").GetString()!);
        Assert.Equal(1, server.ReservationCount);

        await using var dialer = await Node.StartAsync();
        _ = new RelayClient(dialer.Host);
        var connection = await dialer.Host.DialAsync(CircuitAddresses.Build(relay.Address, jsPeer), cts.Token);
        Assert.Equal(jsPeer, connection.RemotePeer);
        var info = await connection.Identified.WaitAsync(cts.Token);
        Assert.StartsWith("js-libp2p/", info.AgentVersion, StringComparison.Ordinal);
        Assert.True(await dialer.Host.PingAsync(connection, cts.Token) > TimeSpan.Zero);
        Assert.Equal(1, server.ActiveCircuits);
    }

    [Fact]
    public async Task Js_dials_a_chhaya_target_through_a_chhaya_relay()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var relay = await Node.StartAsync();
        _ = new RelayServer(relay.Host, relay.Identity, Unlimited());
        await using var target = await Node.StartAsync();
        var targetClient = new RelayClient(target.Host);
        await targetClient.ReserveAsync(await target.Host.DialAsync(relay.Address, cts.Token), cts.Token);
        var circuit = CircuitAddresses.Build(relay.Address, target.Host.PeerId);

        await using var js = JsRelayPeer.Start("dial", circuit.ToString());
        var result = await js.WaitForAsync(cts.Token, "result");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString() + js.StandardError);
        Assert.Equal(target.Host.PeerId.ToString(), result.GetProperty("remotePeer").GetString());
        Assert.Equal(3, result.GetProperty("rtts").GetArrayLength());
        var protocols = result.GetProperty("identify").GetProperty("protocols").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains(StopMessage.ProtocolId, protocols);
        Assert.Contains(PingProtocol.ProtocolId, protocols);
    }

    [Fact]
    public async Task A_chhaya_autonat_probe_gets_a_well_formed_answer_from_js()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var js = JsRelayPeer.Start("relay");
        var listening = await js.WaitForAsync(cts.Token, "listening");
        await using var client = await Node.StartAsync();
        var autonat = new AutoNatClient(client.Host);

        var connection = await client.Host.DialAsync(Multiaddr.Parse(listening.GetProperty("addrs")[0].GetString()!), cts.Token);
        var answer = await autonat.ProbeAsync(connection, cts.Token);

        // js decoded our DIAL and answered with a DIAL_RESPONSE; it refuses to dial loopback addresses, so the
        // status is E_DIAL_REFUSED, which leaves our verdict Unknown.
        Assert.Equal(AutoNatMessage.TypeDialResponse, answer.Type);
        Assert.Equal(AutoNatStatus.DialRefused, answer.Status);
        Assert.Equal(NatStatus.Unknown, autonat.Status);
    }

    private static RelayServerOptions Unlimited() =>
        // js-libp2p opens its own protocols (ping) only on unlimited connections unless told otherwise.
        new() { CircuitDuration = TimeSpan.Zero, CircuitDataLimit = 0 };

    private sealed class Node : IAsyncDisposable
    {
        private Node(Libp2pHost host, Ed25519Identity identity)
        {
            Host = host;
            Identity = identity;
        }

        public Libp2pHost Host { get; }

        public Ed25519Identity Identity { get; }

        public Multiaddr Address => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

        public static async Task<Node> StartAsync()
        {
            var identity = Ed25519Identity.Generate();
            var host = new Libp2pHost(new Libp2pHostOptions { Identity = identity, ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
            await host.StartAsync(CancellationToken.None);
            return new Node(host, identity);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            Identity.Dispose();
        }
    }
}
