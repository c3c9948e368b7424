// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;

namespace Chhaya.Benchmarks.Kad;

/// <summary>
/// DHT hot paths without the network: decoding a full FIND_NODE answer (20 peers, 2 addresses each), verifying a
/// signed record, and picking the 20 closest peers of a full-ish routing table.
/// </summary>
[MemoryDiagnoser]
public class KadBenchmarks
{
    private readonly NamespacedValidator _validator = NamespacedValidator.CreateDefault();
    private byte[] _answer = [];
    private byte[] _recordKey = [];
    private byte[] _recordValue = [];
    private RoutingTable _table = null!;
    private KadId _target;

    [GlobalSetup]
    public void Setup()
    {
        var peers = new List<KadPeer>();
        for (var i = 0; i < 20; i++)
        {
            using var id = Ed25519Identity.Generate();
            peers.Add(new KadPeer(id.PeerId, [Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{4000 + i}"), Multiaddr.Parse($"/ip6/::1/tcp/{4000 + i}")]));
        }

        _answer = new KadMessage { Type = KadMessageType.FindNode, Key = peers[0].Id.Bytes.ToArray(), CloserPeers = peers }.Encode();

        using var owner = Ed25519Identity.Generate();
        (_recordKey, _recordValue) = SignedRecord.Create(owner, "prekeys", 1, new byte[4096]);

        using var local = Ed25519Identity.Generate();
        _table = new RoutingTable(local.PeerId);
        for (var i = 0; i < 2000; i++)
        {
            using var id = Ed25519Identity.Generate();
            _table.TryAdd(id.PeerId, [], out _);
        }

        _target = KadId.FromKey("target"u8);
    }

    [Benchmark]
    public int DecodeFindNodeAnswer() => KadMessage.Decode(_answer).CloserPeers.Count;

    [Benchmark]
    public void ValidateSignedRecord() => _validator.Validate(_recordKey, _recordValue);

    [Benchmark]
    public int ClosestTwentyOfTable() => _table.Closest(_target, 20).Count;
}
