// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Kad;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.P2p.Tests.Kad;

public class KadMessageTests
{
    private static readonly PeerId[] Peers = [.. Enumerable.Range(0, 8).Select(i =>
    {
        using var id = Ed25519Identity.FromSeed(Enumerable.Repeat((byte)i, 32).ToArray());
        return id.PeerId;
    })];

    private static readonly Gen<KadPeer> GenPeer =
        Gen.Select(Gen.Int[0, Peers.Length - 1], Gen.Int[0, 65535].Array[0, 4], Gen.Int[0, 3])
            .Select((i, ports, c) => new KadPeer(
                Peers[i],
                [.. ports.Select(p => Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{p}"))],
                (KadConnectionType)c));

    private static readonly Gen<KadMessage> GenMessage =
        Gen.Select(Gen.Int[0, 5], Gen.Byte.Array[0, 64], Gen.Bool, Gen.Byte.Array[0, 200], GenPeer.Array[0, 5], GenPeer.Array[0, 3])
            .Select((t, key, hasRecord, value, closer, providers) => new KadMessage
            {
                Type = (KadMessageType)t,
                Key = key,
                Record = hasRecord ? new KadRecord(key, value, "2026-01-01T00:00:00Z") : null,
                CloserPeers = closer,
                ProviderPeers = providers,
            });

    [Fact]
    public void Encode_then_decode_gives_the_same_message()
    {
        GenMessage.Sample(m =>
        {
            var back = KadMessage.Decode(m.Encode());
            Assert.Equal(m.Type, back.Type);
            Assert.Equal(m.Key, back.Key);
            Assert.Equal(m.Record is null, back.Record is null);
            if (m.Record is not null)
            {
                Assert.Equal(m.Record.Key, back.Record!.Key);
                Assert.Equal(m.Record.Value, back.Record.Value);
                Assert.Equal(m.Record.TimeReceived, back.Record.TimeReceived);
            }

            AssertPeers(m.CloserPeers, back.CloserPeers);
            AssertPeers(m.ProviderPeers, back.ProviderPeers);

            // Encoding is canonical: re-encoding the decoded message gives the same bytes.
            Assert.Equal(m.Encode(), back.Encode());
        });
    }

    [Fact]
    public void Known_bytes_decode_as_the_spec_lays_them_out()
    {
        // type=FIND_NODE (4), key=0x01 0x02, one closer peer with one address and connection CONNECTED.
        var peer = Peers[0];
        var addr = Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001");
        byte[] peerMsg = [0x0a, (byte)peer.Bytes.Length, .. peer.Bytes, 0x12, (byte)addr.Bytes.Length, .. addr.Bytes, 0x18, 0x01];
        byte[] bytes = [0x08, 0x04, 0x12, 0x02, 0x01, 0x02, 0x42, (byte)peerMsg.Length, .. peerMsg];
        var m = KadMessage.Decode(bytes);
        Assert.Equal(KadMessageType.FindNode, m.Type);
        Assert.Equal([1, 2], m.Key);
        var p = Assert.Single(m.CloserPeers);
        Assert.Equal(peer, p.Id);
        Assert.Equal(addr, Assert.Single(p.Addresses));
        Assert.Equal(KadConnectionType.Connected, p.Connection);
        Assert.Equal(bytes, m.Encode());
    }

    [Fact]
    public void Bounds_are_enforced()
    {
        var limits = new KadLimits { MaxKeySize = 8, MaxValueSize = 16, MaxPeersPerMessage = 2, MaxAddressesPerPeer = 1, MaxMessageSize = 4096 };
        Assert.Throws<MalformedInputException>(() => KadMessage.Decode(new KadMessage { Key = new byte[9] }.Encode(), limits));
        Assert.Throws<MalformedInputException>(() => KadMessage.Decode(new KadMessage { Key = [1], Record = new KadRecord([1], new byte[17]) }.Encode(), limits));
        var three = Enumerable.Range(0, 3).Select(i => new KadPeer(Peers[i], [])).ToList();
        Assert.Throws<MalformedInputException>(() => KadMessage.Decode(new KadMessage { CloserPeers = three }.Encode(), limits));
        Assert.Throws<MalformedInputException>(() => KadMessage.Decode(new byte[4097], limits));

        // Addresses over the per-peer bound are dropped, not allocated.
        var many = new KadPeer(Peers[0], [Multiaddr.Parse("/ip4/127.0.0.1/tcp/1"), Multiaddr.Parse("/ip4/127.0.0.1/tcp/2")]);
        var decoded = KadMessage.Decode(new KadMessage { CloserPeers = [many] }.Encode(), limits);
        Assert.Single(decoded.CloserPeers[0].Addresses);
    }

    [Fact]
    public void Unknown_type_and_peer_without_id_are_malformed_unknown_addresses_are_skipped()
    {
        Assert.Throws<MalformedInputException>(() => KadMessage.Decode([0x08, 0x06]));
        Assert.Throws<MalformedInputException>(() => KadMessage.Decode([0x42, 0x02, 0x18, 0x01]));

        // An address with an unknown protocol code (0x3fff) is dropped; the peer stays.
        var peer = Peers[1];
        byte[] peerMsg = [0x0a, (byte)peer.Bytes.Length, .. peer.Bytes, 0x12, 0x03, 0xff, 0x7f, 0x00];
        var m = KadMessage.Decode([0x08, 0x04, 0x42, (byte)peerMsg.Length, .. peerMsg]);
        Assert.Empty(Assert.Single(m.CloserPeers).Addresses);
    }

    [Fact]
    public void Random_and_mutated_bytes_only_ever_raise_MalformedInputException()
    {
        Gen.Select(GenMessage, Gen.Int[0, 400].Array[0, 6], Gen.Byte.Array[0, 300]).Sample((m, flips, random) =>
        {
            var bytes = m.Encode();
            foreach (var f in flips)
            {
                if (bytes.Length > 0)
                {
                    bytes[f % bytes.Length] ^= (byte)(1 << (f % 8));
                }
            }

            Decode(bytes);
            Decode(random);
            Decode(bytes.AsSpan(0, bytes.Length / 2).ToArray());
        }, iter: 2000);
    }

    private static void Decode(byte[] bytes)
    {
        try
        {
            KadMessage.Decode(bytes);
        }
        catch (MalformedInputException)
        {
            // The documented rejection.
        }
    }

    private static void AssertPeers(IReadOnlyList<KadPeer> expected, IReadOnlyList<KadPeer> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Id, actual[i].Id);
            Assert.Equal(expected[i].Addresses, actual[i].Addresses);
            Assert.Equal(expected[i].Connection, actual[i].Connection);
        }
    }
}
