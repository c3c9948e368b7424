// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using Chhaya.Fuzz.AutoNat;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.AutoNat;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Protocols;
using Chhaya.P2p.Tests.Hosting;
using Chhaya.P2p.Tests.Mdns;
using Chhaya.Safety;

namespace Chhaya.P2p.Tests.AutoNat;

public class AutoNatTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_servers_dial_back_a_reachable_client_which_becomes_public()
    {
        await using var client = await TestHost.StartAsync();
        await using var s1 = await TestHost.StartAsync();
        await using var s2 = await TestHost.StartAsync();
        _ = new AutoNatServer(s1.Host);
        _ = new AutoNatServer(s2.Host);
        var autonat = new AutoNatClient(client.Host, new AutoNatClientOptions { Threshold = 2 });
        var changes = new List<NatStatus>();
        autonat.StatusChanged += (_, s) => changes.Add(s);
        using var cts = new CancellationTokenSource(Timeout);

        var r1 = await autonat.ProbeAsync(await client.Host.DialAsync(s1.Address, cts.Token), cts.Token);
        Assert.Equal(AutoNatStatus.Ok, r1.Status);
        Assert.Equal(client.Host.ListenAddresses[0], Multiaddr.Decode(r1.Address!));
        Assert.Equal(NatStatus.Unknown, autonat.Status);

        var r2 = await autonat.ProbeAsync(await client.Host.DialAsync(s2.Address, cts.Token), cts.Token);
        Assert.Equal(AutoNatStatus.Ok, r2.Status);
        Assert.Equal(NatStatus.Public, autonat.Status);
        Assert.Equal([NatStatus.Public], changes);
    }

    [Fact]
    public async Task A_client_whose_address_does_not_answer_becomes_private()
    {
        var closed = ClosedLoopbackPort();
        await using var client = await TestHost.StartAsync();
        await using var s1 = await TestHost.StartAsync();
        await using var s2 = await TestHost.StartAsync();
        _ = new AutoNatServer(s1.Host, new AutoNatServerOptions { DialTimeout = TimeSpan.FromSeconds(3) });
        _ = new AutoNatServer(s2.Host, new AutoNatServerOptions { DialTimeout = TimeSpan.FromSeconds(3) });
        var autonat = new AutoNatClient(client.Host, new AutoNatClientOptions { Threshold = 2 }, () => [closed]);
        using var cts = new CancellationTokenSource(Timeout);

        foreach (var server in new[] { s1, s2 })
        {
            var r = await autonat.ProbeAsync(await client.Host.DialAsync(server.Address, cts.Token), cts.Token);
            Assert.Equal(AutoNatStatus.DialError, r.Status);
        }

        Assert.Equal(NatStatus.Private, autonat.Status);
    }

    [Fact]
    public async Task Addresses_on_another_ip_are_never_dialed_and_count_for_nothing()
    {
        await using var client = await TestHost.StartAsync();
        await using var server = await TestHost.StartAsync();
        _ = new AutoNatServer(server.Host);
        var victim = Multiaddr.Parse("/ip4/192.0.2.7/tcp/80");
        var autonat = new AutoNatClient(client.Host, new AutoNatClientOptions { Threshold = 1 }, () => [victim, Multiaddr.Parse("/dns4/localhost/tcp/1")]);
        using var cts = new CancellationTokenSource(Timeout);

        var r = await autonat.ProbeAsync(await client.Host.DialAsync(server.Address, cts.Token), cts.Token);
        Assert.Equal(AutoNatStatus.DialRefused, r.Status);
        Assert.Equal(NatStatus.Unknown, autonat.Status);
        Assert.Single(server.Host.Connections);
    }

    [Fact]
    public async Task Requests_are_rate_limited_per_peer()
    {
        await using var client = await TestHost.StartAsync();
        await using var server = await TestHost.StartAsync();
        _ = new AutoNatServer(server.Host, new AutoNatServerOptions { MaxRequestsPerPeer = 1 });
        var autonat = new AutoNatClient(client.Host);
        using var cts = new CancellationTokenSource(Timeout);
        var connection = await client.Host.DialAsync(server.Address, cts.Token);

        Assert.Equal(AutoNatStatus.Ok, (await autonat.ProbeAsync(connection, cts.Token)).Status);
        var second = await autonat.ProbeAsync(connection, cts.Token);
        Assert.Equal(AutoNatStatus.DialRefused, second.Status);
        Assert.Equal("rate limited", second.StatusText);
    }

    [Fact]
    public async Task A_dial_request_for_another_peer_id_is_a_bad_request()
    {
        await using var client = await TestHost.StartAsync();
        await using var server = await TestHost.StartAsync();
        _ = new AutoNatServer(server.Host);
        using var other = Ed25519Identity.Generate();
        using var cts = new CancellationTokenSource(Timeout);
        var connection = await client.Host.DialAsync(server.Address, cts.Token);

        await using var s = await client.Host.OpenStreamAsync(connection, [AutoNatMessage.ProtocolId], cts.Token);
        var dial = AutoNatMessage.Dial(other.PeerId.Bytes, [client.Host.ListenAddresses[0].Bytes.ToArray()]);
        await LengthPrefixed.WriteAsync(s.Stream, dial.Encode(), cts.Token);
        var reply = AutoNatMessage.Decode(await LengthPrefixed.ReadAsync(s.Stream, AutoNatMessage.MaxLength, cts.Token));
        Assert.Equal(AutoNatStatus.BadRequest, reply.Status);
    }

    [Fact]
    public async Task The_background_service_probes_peers_that_list_autonat_in_identify()
    {
        await using var client = await TestHost.StartAsync();
        await using var server = await TestHost.StartAsync();
        await using var plain = await TestHost.StartAsync();
        _ = new AutoNatServer(server.Host);
        var options = new AutoNatClientOptions { Threshold = 1 };
        var autonat = new AutoNatClient(client.Host, options);
        using var service = new AutoNatService(client.Host, autonat, options);
        using var cts = new CancellationTokenSource(Timeout);
        await (await client.Host.DialAsync(plain.Address, cts.Token)).Identified.WaitAsync(cts.Token);
        await (await client.Host.DialAsync(server.Address, cts.Token)).Identified.WaitAsync(cts.Token);

        await service.RunRoundAsync(cts.Token);
        Assert.Equal(NatStatus.Public, autonat.Status);
    }

    [Fact]
    public void The_confidence_counter_settles_and_flips_as_documented()
    {
        var client = new AutoNatClient(HostStub(), new AutoNatClientOptions { Threshold = 3, MaxConfidence = 2 });
        client.Observe(true);
        client.Observe(true);
        client.Observe(false); // breaks the streak
        Assert.Equal(NatStatus.Unknown, client.Status);
        client.Observe(false);
        client.Observe(false);
        Assert.Equal(NatStatus.Private, client.Status);
        client.Observe(false);
        client.Observe(false);
        client.Observe(false);
        Assert.Equal(2, client.Confidence);
        client.Observe(true);
        client.Observe(true);
        Assert.Equal(NatStatus.Private, client.Status);
        Assert.Equal(0, client.Confidence);
        client.Observe(true);
        Assert.Equal(NatStatus.Public, client.Status);
    }

    [Fact]
    public void Codec_round_trips_and_enforces_its_limits()
    {
        var dial = AutoNatMessage.Dial([1, 2, 3], [[4, 5], [6]]);
        var back = AutoNatMessage.Decode(dial.Encode());
        Assert.Equal(AutoNatMessage.TypeDial, back.Type);
        Assert.Equal([1, 2, 3], back.PeerId);
        Assert.Equal(2, back.Addresses.Count);
        // type = DIAL (0) is written explicitly: 08 00, then dial { peer { id, addrs } }.
        Assert.Equal("0800120e0a0c0a03010203120204051201 06".Replace(" ", "", StringComparison.Ordinal), Convert.ToHexStringLower(dial.Encode()));

        var ok = AutoNatMessage.Decode(AutoNatMessage.Response(AutoNatStatus.Ok, "fine", [9]).Encode());
        Assert.Equal((AutoNatStatus.Ok, "fine", (byte)9), (ok.Status!.Value, ok.StatusText, ok.Address![0]));

        Assert.Throws<MalformedInputException>(() => AutoNatMessage.Decode(Convert.FromHexString("0802"))); // type 2
        Assert.Throws<MalformedInputException>(() => AutoNatMessage.Decode(Convert.FromHexString("1a020807"))); // status 7, no type
        Assert.Throws<MalformedInputException>(() => AutoNatMessage.Decode(Convert.FromHexString("08")));
        Assert.Throws<MalformedInputException>(() => AutoNatMessage.Decode(new byte[AutoNatMessage.MaxLength + 1]));
        var tooMany = AutoNatMessage.Dial([1], Enumerable.Range(0, AutoNatMessage.MaxAddresses + 1).Select(_ => new byte[] { 1 }));
        Assert.Throws<MalformedInputException>(() => AutoNatMessage.Decode(tooMany.Encode()));
    }

    [Fact]
    public void Rate_limiter_bounds_peers_and_windows()
    {
        var now = DateTimeOffset.UnixEpoch;
        var limiter = new RequestLimiter(perPeer: 2, global: 3, TimeSpan.FromMinutes(1), maxPeers: 2, clock: () => now);
        using var a = Ed25519Identity.Generate();
        using var b = Ed25519Identity.Generate();
        using var c = Ed25519Identity.Generate();
        Assert.True(limiter.TryAcquire(a.PeerId));
        Assert.True(limiter.TryAcquire(a.PeerId));
        Assert.False(limiter.TryAcquire(a.PeerId));
        Assert.True(limiter.TryAcquire(b.PeerId));
        Assert.False(limiter.TryAcquire(b.PeerId)); // global 3 reached
        now += TimeSpan.FromMinutes(1);
        Assert.True(limiter.TryAcquire(a.PeerId));
        Assert.True(limiter.TryAcquire(c.PeerId)); // b's stale entry is evicted to make room
    }

    [Fact]
    public void Fuzz_target_runs_clean_over_seeds_mutations_and_random_bytes() =>
        NatFuzzReplay.Run(new AutoNatMessageFuzzer(), "autonat-message", iterations: 3000);

    private static Multiaddr ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}");
    }

    private static P2p.Hosting.Libp2pHost HostStub() =>
        new(new P2p.Hosting.Libp2pHostOptions { Identity = Ed25519Identity.Generate() });
}
