// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Kad;
using Chhaya.P2p.Protocols;

namespace Chhaya.P2p.Tests.Kad;

/// <summary>FIND_NODE, records and providers across twenty in-process DHT servers over real TCP on 127.0.0.1.</summary>
public class KadNetworkTests(KadNetworkFixture network) : IClassFixture<KadNetworkFixture>
{
    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    [Fact]
    public void Every_node_has_a_routing_table_of_servers()
    {
        Assert.All(network.Nodes, n => Assert.True(n.Dht.RoutingTable.Count >= 5, $"{n.PeerId} knows only {n.Dht.RoutingTable.Count} peers"));
        var ids = network.Nodes.Select(n => n.PeerId).ToHashSet();
        Assert.All(network.Nodes.SelectMany(n => n.Dht.RoutingTable.Entries()), e => Assert.Contains(e.Peer, ids));
    }

    [Fact]
    public async Task Find_peer_finds_every_node_from_every_other()
    {
        using var cts = Timeout();
        var nodes = network.Nodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            var from = nodes[i];
            var target = nodes[(i * 7 + 3) % nodes.Count];
            if (target == from)
            {
                continue;
            }

            var found = await from.Dht.FindPeerAsync(target.PeerId, cts.Token);
            Assert.NotNull(found);
            Assert.Contains(target.Host.ListenAddresses[0], found.Addresses);
        }
    }

    [Fact]
    public async Task Closest_peers_are_the_true_closest_of_the_network()
    {
        using var cts = Timeout();
        var key = "some key"u8.ToArray();
        var target = KadId.FromKey(key);
        var asker = network.Nodes[4];
        var expected = network.Nodes.Where(n => n != asker).Select(n => n.PeerId).OrderBy(p => KadId.FromPeer(p).Xor(target)).Take(5).ToList();
        var closest = await asker.Dht.GetClosestPeersAsync(key, cts.Token);
        Assert.Equal(expected, closest.Take(5).Select(p => p.Id).ToList());
    }

    [Fact]
    public async Task Signed_record_put_on_one_node_is_got_on_another_and_newer_replaces_older()
    {
        using var cts = Timeout();
        var writer = network.Nodes[3];
        var (key, v1) = SignedRecord.Create(writer.Identity, "prekeys", 1, "bundle one"u8);
        Assert.True(await writer.Dht.PutValueAsync(key, v1, cts.Token) >= 10);
        var got = await network.Nodes[15].Dht.GetValueAsync(key, cts.Token);
        Assert.Equal(v1, got);

        var (_, v2) = SignedRecord.Create(writer.Identity, "prekeys", 2, "bundle two"u8);
        await writer.Dht.PutValueAsync(key, v2, cts.Token);
        var got2 = await network.Nodes[11].Dht.GetValueAsync(key, cts.Token);
        Assert.Equal("bundle two"u8.ToArray(), SignedRecord.Verify(key, got2!).Payload);

        // An older record put later does not replace the newer one anywhere.
        var stale = new KadMessage { Type = KadMessageType.PutValue, Key = key, Record = new KadRecord(key, v1) };
        var holder = network.Nodes[8];
        await SendRawAsync(network.Nodes[9], holder, stale, cts.Token);
        Assert.Equal(v2, holder.Dht.Records.Get(key)!.Value.Value);
    }

    [Fact]
    public async Task Forged_records_are_refused_locally_and_by_every_peer()
    {
        using var cts = Timeout();
        var victim = network.Nodes[6];
        var forger = network.Nodes[7];
        var (key, _) = SignedRecord.Create(victim.Identity, "prekeys", 1, "real"u8);
        var (_, forged) = SignedRecord.Create(forger.Identity, "prekeys", 99, "fake"u8);

        await Assert.ThrowsAsync<InvalidRecordException>(() => forger.Dht.PutValueAsync(key, forged, cts.Token));

        // Sent straight to a peer, the forged record resets the stream and is not stored.
        var target = network.Nodes[12];
        var put = new KadMessage { Type = KadMessageType.PutValue, Key = key, Record = new KadRecord(key, forged) };
        await Assert.ThrowsAnyAsync<Exception>(() => SendRawAsync(forger, target, put, cts.Token));
        Assert.Null(target.Dht.Records.Get(key));

        // An unknown namespace is refused the same way.
        var ipns = "/ipns/whatever"u8.ToArray();
        var put2 = new KadMessage { Type = KadMessageType.PutValue, Key = ipns, Record = new KadRecord(ipns, [1]) };
        await Assert.ThrowsAnyAsync<Exception>(() => SendRawAsync(forger, target, put2, cts.Token));
        Assert.Null(target.Dht.Records.Get(ipns));
        Assert.Null(await network.Nodes[1].Dht.GetValueAsync(key, cts.Token));
    }

    [Fact]
    public async Task Provider_records_are_found_and_only_the_sender_is_recorded()
    {
        using var cts = Timeout();
        var key = System.Security.Cryptography.SHA256.HashData("content"u8);
        var provider = network.Nodes[5];
        Assert.True(await provider.Dht.ProvideAsync(key, cts.Token) >= 10);
        var found = await network.Nodes[17].Dht.FindProvidersAsync(key, 5, cts.Token);
        var p = Assert.Single(found);
        Assert.Equal(provider.PeerId, p.Id);
        Assert.Contains(provider.Host.ListenAddresses[0], p.Addresses);

        // Naming another peer as provider is ignored.
        var liar = network.Nodes[2];
        var other = network.Nodes[13];
        var key2 = System.Security.Cryptography.SHA256.HashData("other content"u8);
        var add = new KadMessage { Type = KadMessageType.AddProvider, Key = key2, ProviderPeers = [new KadPeer(other.PeerId, [])] };
        var target = network.Nodes[10];
        await SendRawAsync(liar, target, add, cts.Token, expectAnswer: false);
        await Task.Delay(200, cts.Token);
        Assert.Empty(target.Dht.Providers.Get(key2));
    }

    [Fact]
    public async Task Public_key_records_are_answered_from_known_keys()
    {
        using var cts = Timeout();
        var owner = network.Nodes[18];
        var got = await network.Nodes[0].Dht.GetValueAsync(PublicKeyRecordValidator.KeyFor(owner.PeerId), cts.Token);
        Assert.Equal(owner.Identity.PublicKey.Encoded.ToArray(), got);
    }

    [Fact]
    public async Task A_client_mode_node_queries_but_is_never_added_to_tables()
    {
        using var cts = Timeout();
        await using var client = await KadNode.StartAsync([network.Nodes[1].Address], clientMode: true);
        Assert.True(await client.Dht.BootstrapAsync(cts.Token) > 0);
        Assert.DoesNotContain(KadDhtOptions.DefaultProtocolId, client.Host.Router.Protocols);
        var writer = network.Nodes[14];
        var (key, value) = SignedRecord.Create(writer.Identity, "profile", 1, "hello"u8);
        await writer.Dht.PutValueAsync(key, value, cts.Token);
        Assert.Equal(value, await client.Dht.GetValueAsync(key, cts.Token));
        Assert.All(network.Nodes, n => Assert.Null(n.Dht.RoutingTable.Find(client.PeerId)));
    }

    [Fact]
    public async Task Many_requests_share_one_stream_and_a_flood_is_cut_off()
    {
        using var cts = Timeout();
        var from = network.Nodes[16];
        var to = network.Nodes[19];
        var conn = await from.Host.DialAsync(to.Address, cts.Token);
        var handle = await from.Host.OpenStreamAsync(conn, [KadDhtOptions.DefaultProtocolId], cts.Token);
        await using (handle)
        {
            var answered = 0;
            var request = new KadMessage { Type = KadMessageType.FindNode, Key = from.PeerId.Bytes.ToArray() };
            try
            {
                for (var i = 0; i < 200; i++)
                {
                    await KadFraming.WriteAsync(handle.Stream, request, cts.Token);
                    var answer = await KadFraming.ReadAsync(handle.Stream, KadLimits.Default, cts.Token);
                    if (answer is null)
                    {
                        break;
                    }

                    Assert.Equal(KadMessageType.FindNode, answer.Type);
                    Assert.NotEmpty(answer.CloserPeers);
                    answered++;
                }
            }
            catch (IOException)
            {
                // The server reset the stream: the rate limit (burst 40) or the per-stream bound (64).
            }

            Assert.InRange(answered, 2, 64);
        }
    }

    [Fact]
    public void The_loopback_filter_keeps_only_loopback_addresses()
    {
        Assert.True(AddressFilter.IsLoopback(Multiaddr.Parse("/ip4/127.0.0.1/tcp/1")));
        Assert.True(AddressFilter.IsLoopback(Multiaddr.Parse("/ip4/127.8.9.1/tcp/1")));
        Assert.True(AddressFilter.IsLoopback(Multiaddr.Parse("/ip6/::1/tcp/1")));
        Assert.True(AddressFilter.IsLoopback(Multiaddr.Parse("/dns4/localhost/tcp/1")));
        Assert.False(AddressFilter.IsLoopback(Multiaddr.Parse("/ip4/10.0.0.1/tcp/1")));
        Assert.False(AddressFilter.IsLoopback(Multiaddr.Parse("/ip4/8.8.8.8/tcp/1")));
        Assert.False(AddressFilter.IsLoopback(Multiaddr.Parse("/dns4/example.com/tcp/1")));
        var kept = AddressFilter.Apply([Multiaddr.Parse("/ip4/192.168.1.2/tcp/1"), Multiaddr.Parse("/ip4/127.0.0.1/tcp/2")], loopbackOnly: true, max: 8);
        Assert.Equal([Multiaddr.Parse("/ip4/127.0.0.1/tcp/2")], kept);
    }

    private static async Task SendRawAsync(KadNode from, KadNode to, KadMessage request, CancellationToken ct, bool expectAnswer = true)
    {
        var conn = await from.Host.DialAsync(to.Address, ct);
        var handle = await from.Host.OpenStreamAsync(conn, [KadDhtOptions.DefaultProtocolId], ct);
        await using (handle)
        {
            await LengthPrefixed.WriteAsync(handle.Stream, request.Encode(), ct);
            if (expectAnswer)
            {
                _ = await KadFraming.ReadAsync(handle.Stream, KadLimits.Default, ct) ?? throw new IOException("no answer");
            }
        }
    }
}
