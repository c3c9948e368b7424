// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json.Nodes;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;

namespace Chhaya.Interop.Tests.Kad;

/// <summary>
/// Chhaya's Kademlia DHT against real js-libp2p @libp2p/kad-dht 16.4.5 (libp2p 3.3.11) on 127.0.0.1: routing-table
/// admission both ways, FIND_NODE answered in both directions, and signed Chhaya records and /pk/ records put and got
/// in both directions (the js side validates the /chhaya/ namespace with its own code, from docs/kad.md's layout).
/// </summary>
public class JsKadDhtInteropTests
{
    [Fact]
    public async Task Find_node_and_records_work_in_both_directions()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var js = JsKadPeer.Start();
        var listening = await js.ListeningAsync(cts.Token);
        var jsAddress = Multiaddr.Parse(listening.GetProperty("addrs")[0].GetString()!);
        var jsPeer = PeerId.Parse(listening.GetProperty("peerId").GetString()!);

        // A bootstraps from js. C is connected only to A, D only to js; neither runs a lookup of its own, so each can
        // be found only through the other implementation's FIND_NODE answers.
        await using var a = await Node.StartAsync([jsAddress]);
        await using var c = await Node.StartAsync([]);
        await using var d = await Node.StartAsync([]);
        Assert.True(await a.Dht.BootstrapAsync(cts.Token) >= 1);
        Assert.NotNull(a.Dht.RoutingTable.Find(jsPeer));
        await c.Host.DialAsync(a.Address, cts.Token);
        await d.Host.DialAsync(jsAddress, cts.Token);
        await WaitAsync(() => a.Dht.RoutingTable.Find(c.Host.PeerId) is not null, "A to add C", cts.Token);
        await WaitUntilJsTableHasAsync(js, [a.Host.PeerId, d.Host.PeerId], cts.Token);

        // Chhaya -> js FIND_NODE: A asks js, whose answer carries D's loopback address.
        var foundD = await a.Dht.FindPeerAsync(d.Host.PeerId, cts.Token);
        Assert.NotNull(foundD);
        Assert.Contains(d.Host.ListenAddresses[0], foundD.Addresses);

        // js -> Chhaya FIND_NODE: js asks A, whose answer carries C's address.
        var foundC = await js.RunAsync(new JsonObject { ["cmd"] = "findPeer", ["peer"] = c.Host.PeerId.ToString() }, cts.Token);
        Assert.Contains(foundC.GetProperty("addrs").EnumerateArray(), x => x.GetString() == c.Host.ListenAddresses[0].ToString());

        // js's own iterative lookup (getClosestPeers) runs over the Chhaya servers and returns them.
        // C is known only to A, so C in the result shows the lookup went through a Chhaya server. Which of
        // the other peers js lists as final depends on the order its queries finish, so only C is required,
        // and the lookup is given up to three tries.
        List<string?> closestIds = [];
        for (var attempt = 0; attempt < 3 && !closestIds.Contains(c.Host.PeerId.ToString()); attempt++)
        {
            var closest = await js.RunAsync(new JsonObject { ["cmd"] = "closest", ["key"] = Convert.ToHexStringLower(c.Host.PeerId.Bytes) }, cts.Token);
            closestIds = [.. closest.GetProperty("peers").EnumerateArray().Select(p => p.GetString())];
        }

        Assert.Contains(c.Host.PeerId.ToString(), closestIds);

        // Chhaya puts a signed record; js validates it with its own implementation of the layout and gets it.
        using var owner = Ed25519Identity.Generate();
        var (key1, value1) = SignedRecord.Create(owner, "prekeys", 3, "from chhaya"u8);
        Assert.True(await a.Dht.PutValueAsync(key1, value1, cts.Token) >= 1);
        var got1 = await js.RunAsync(new JsonObject { ["cmd"] = "get", ["key"] = Convert.ToHexStringLower(key1) }, cts.Token);
        Assert.Equal(Convert.ToHexStringLower(value1), got1.GetProperty("value").GetString());

        // js puts a signed record (made here, since the owner's key is ours); Chhaya nodes accept its PUT_VALUE and get it.
        var (key2, value2) = SignedRecord.Create(owner, "profile", 1, "from js"u8);
        await js.RunAsync(new JsonObject { ["cmd"] = "put", ["key"] = Convert.ToHexStringLower(key2), ["value"] = Convert.ToHexStringLower(value2) }, cts.Token);
        Assert.Contains(new[] { a, c, d }, n => n.Dht.Records.Get(key2) is not null);
        Assert.Equal(value2, await c.Dht.GetValueAsync(key2, cts.Token));

        // A newer record put by Chhaya wins on the js side through its selector.
        var (_, value1b) = SignedRecord.Create(owner, "prekeys", 4, "newer"u8);
        await a.Dht.PutValueAsync(key1, value1b, cts.Token);
        var got1b = await js.RunAsync(new JsonObject { ["cmd"] = "get", ["key"] = Convert.ToHexStringLower(key1) }, cts.Token);
        Assert.Equal(Convert.ToHexStringLower(value1b), got1b.GetProperty("value").GetString());

        // /pk/ both ways: js's key answered by js, A's key answered by A.
        var jsKey = await a.Dht.GetValueAsync(PublicKeyRecordValidator.KeyFor(jsPeer), cts.Token);
        Assert.NotNull(jsKey);
        Assert.True(jsPeer.Matches(PublicKey.Decode(jsKey)));
        var aKey = await js.RunAsync(new JsonObject { ["cmd"] = "get", ["key"] = Convert.ToHexStringLower(PublicKeyRecordValidator.KeyFor(a.Host.PeerId)) }, cts.Token);
        Assert.Equal(Convert.ToHexStringLower(a.Host.PeerId.TryGetPublicKey()!.Encoded), aKey.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Forged_chhaya_records_are_refused_by_js_and_by_chhaya()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var js = JsKadPeer.Start();
        var listening = await js.ListeningAsync(cts.Token);
        var jsAddress = Multiaddr.Parse(listening.GetProperty("addrs")[0].GetString()!);
        await using var a = await Node.StartAsync([jsAddress]);
        await a.Dht.BootstrapAsync(cts.Token);
        await WaitUntilJsTableHasAsync(js, [a.Host.PeerId], cts.Token);

        using var owner = Ed25519Identity.Generate();
        using var forger = Ed25519Identity.Generate();
        var (key, _) = SignedRecord.Create(owner, "prekeys", 1, "real"u8);
        var (_, forged) = SignedRecord.Create(forger, "prekeys", 9, "fake"u8);

        // Sent raw by Chhaya, the forged record is refused by js: its get finds nothing.
        var conn = await a.Host.DialAsync(jsAddress, cts.Token);
        var handle = await a.Host.OpenStreamAsync(conn, [KadDhtOptions.DefaultProtocolId], cts.Token);
        await using (handle)
        {
            await KadFraming.WriteAsync(handle.Stream, new KadMessage { Type = KadMessageType.PutValue, Key = key, Record = new KadRecord(key, forged) }, cts.Token);
            await Assert.ThrowsAnyAsync<Exception>(async () => _ = await KadFraming.ReadAsync(handle.Stream, KadLimits.Default, cts.Token) ?? throw new IOException("closed"));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => js.RunAsync(new JsonObject { ["cmd"] = "get", ["key"] = Convert.ToHexStringLower(key) }, cts.Token));

        // js's put stores the forged record locally without checking and sends PUT_VALUE to A: A refuses it, and when
        // A then asks js for the key, js serves the forged record and A rejects it, so A finds nothing.
        await js.RunAsync(new JsonObject { ["cmd"] = "put", ["key"] = Convert.ToHexStringLower(key), ["value"] = Convert.ToHexStringLower(forged) }, cts.Token);
        Assert.Null(a.Dht.Records.Get(key));
        Assert.Null(await a.Dht.GetValueAsync(key, cts.Token));
    }

    private static async Task WaitUntilJsTableHasAsync(JsKadPeer js, IReadOnlyList<PeerId> peers, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++)
        {
            var table = await js.RunAsync(new JsonObject { ["cmd"] = "table" }, cancellationToken);
            var ids = table.GetProperty("peers").EnumerateArray().Select(p => p.GetString()).ToHashSet();
            if (peers.All(p => ids.Contains(p.ToString())))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("js-libp2p did not add the Chhaya peers to its routing table. stderr:\n" + js.StandardError);
    }

    private static async Task WaitAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100, cancellationToken);
        }

        Assert.True(condition(), "timed out waiting for " + what);
    }

    private sealed class Node : IAsyncDisposable
    {
        private readonly Ed25519Identity _identity;

        private Node(Libp2pHost host, Ed25519Identity identity, KadDht dht)
        {
            Host = host;
            _identity = identity;
            Dht = dht;
        }

        public Libp2pHost Host { get; }

        public KadDht Dht { get; }

        public Multiaddr Address => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

        public static async Task<Node> StartAsync(IList<Multiaddr> bootstrap)
        {
            var identity = Ed25519Identity.Generate();
            var host = new Libp2pHost(new Libp2pHostOptions { Identity = identity, ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
            await host.StartAsync(CancellationToken.None);
            var dht = new KadDht(host, new KadDhtOptions
            {
                BootstrapPeers = bootstrap,
                LoopbackOnly = true,
                RefreshInterval = TimeSpan.Zero,
                LookupTimeout = TimeSpan.FromSeconds(20),
                RequestTimeout = TimeSpan.FromSeconds(5),
            });
            dht.Start();
            return new Node(host, identity, dht);
        }

        public async ValueTask DisposeAsync()
        {
            await Dht.DisposeAsync();
            await Host.DisposeAsync();
            _identity.Dispose();
        }
    }
}
