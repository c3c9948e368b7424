// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz.Mdns;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Mdns;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.P2p.Tests.Mdns;

public class DnsMessageTests
{
    private const string Peer = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";

    [Fact]
    public void Query_encodes_to_the_rfc1035_layout()
    {
        var bytes = MdnsMessages.BuildQuery("_p2p._udp.local").Encode();
        Assert.Equal(
            "000000000001000000000000" + "045f703270045f756470056c6f63616c00" + "000c0001",
            Convert.ToHexStringLower(bytes));
        var decoded = DnsMessage.Decode(bytes);
        Assert.True(MdnsMessages.IsQueryFor(decoded, "_P2P._udp.LOCAL"));
        Assert.False(MdnsMessages.IsQueryFor(decoded, "_http._tcp.local"));
    }

    [Fact]
    public void Response_round_trips_and_yields_the_peer_and_its_addresses()
    {
        var self = PeerId.Parse(Peer);
        var addresses = new[] { Multiaddr.Parse("/ip4/10.0.0.5/tcp/4001"), Multiaddr.Parse("/ip6/fd00::5/tcp/4001") };
        var name = MdnsMessages.NewPeerName();
        Assert.InRange(name.Length, 32, 63);
        var bytes = MdnsMessages.BuildResponse("_p2p._udp.local", name, self, addresses).Encode();

        var decoded = DnsMessage.Decode(bytes);
        Assert.True(decoded.IsResponse);
        Assert.False(MdnsMessages.IsQueryFor(decoded, "_p2p._udp.local"));
        var ptr = Assert.Single(decoded.Answers);
        Assert.Equal(DnsRecordType.NamePointer, ptr.Type);
        Assert.Equal(name + "._p2p._udp.local", ptr.PtrTarget);
        var txt = Assert.Single(decoded.Additionals);
        Assert.Equal("dnsaddr=/ip4/10.0.0.5/tcp/4001/p2p/" + Peer, System.Text.Encoding.ASCII.GetString(txt.TxtStrings![0]));

        var peer = Assert.Single(MdnsMessages.ReadPeers(decoded, "_p2p._udp.local"));
        Assert.Equal(self, peer.PeerId);
        Assert.Equal(addresses.Select(a => a.WithPeerId(self)), peer.Addresses);
        Assert.Equal(bytes, decoded.Encode());
    }

    [Fact]
    public void Compressed_names_are_followed_backwards()
    {
        var message = DnsMessage.Decode(Seed("compressed-response"));
        Assert.Equal("_p2p._udp.local", message.Answers[0].Name);
        Assert.Equal("abcdefghijabcdefghijabcdefghijabcdefghij._p2p._udp.local", message.Answers[0].PtrTarget);
        Assert.Equal(message.Answers[0].PtrTarget, message.Additionals[0].Name);
        var peer = Assert.Single(MdnsMessages.ReadPeers(message, "_p2p._udp.local"));
        Assert.Equal(2, peer.Addresses.Count);
    }

    [Theory]
    [InlineData("pointer-loop", "backwards")]
    [InlineData("forward-pointer", "backwards")]
    [InlineData("truncated", "")]
    public void Malformed_seeds_are_refused(string seed, string reason)
    {
        var e = Assert.Throws<MalformedInputException>(() => DnsMessage.Decode(Seed(seed)));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutual_pointers_cannot_loop()
    {
        // Two names pointing at each other: the second pointer targets a later offset than its segment start.
        var bytes = Convert.FromHexString("000000000002000000000000" + "01" + "61" + "c00f" + "000c0001" + "c00c" + "000c0001");
        Assert.Throws<MalformedInputException>(() => DnsMessage.Decode(bytes));
    }

    [Fact]
    public void Pointer_chains_are_bounded_and_names_limited_to_255_bytes()
    {
        // A zero byte, then 40 pointers, each to the one before it: read from the last one, the chain is cut.
        var chain = new List<byte> { 0 };
        for (var i = 0; i < 40; i++)
        {
            var target = i == 0 ? 0 : chain.Count - 2;
            chain.Add((byte)(0xC0 | (target >> 8)));
            chain.Add((byte)target);
        }

        var pos = chain.Count - 2;
        var tooMany = Assert.Throws<MalformedInputException>(() => DnsName.Read(chain.ToArray(), ref pos));
        Assert.Contains("32 pointers", tooMany.Message, StringComparison.Ordinal);
        var fine = 2 * 31 + 1 - 2;
        Assert.Equal("", DnsName.Read(chain.ToArray(), ref fine));
        Assert.Equal(2 * 31 + 1, fine);

        var longName = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));
        Assert.Throws<ArgumentException>(() => MdnsMessages.BuildQuery(longName).Encode());
        var wire = new List<byte>(Convert.FromHexString("000000000001000000000000"));
        for (var i = 0; i < 4; i++)
        {
            wire.Add(63);
            wire.AddRange(Enumerable.Repeat((byte)'a', 63));
        }

        wire.AddRange(new byte[] { 0, 0, 12, 0, 1 });
        var e = Assert.Throws<MalformedInputException>(() => DnsMessage.Decode(wire.ToArray()));
        Assert.Contains("255", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00000000000100000000000001", "past the end")] // name without its end
    [InlineData("000000000001000000000000400000", "extended")] // 01 label type
    [InlineData("00000000002100000000000000", "questions")] // 33 questions
    [InlineData("000000000000004100410000", "records")] // 130 records
    [InlineData("000000000000000000000000ff", "trailing")]
    [InlineData("0000000000010000000000000101", "UTF-8|control|dot|past")]
    [InlineData("00000000", "header")]
    public void Hostile_headers_and_names_are_refused(string hex, string reason)
    {
        var e = Assert.ThrowsAny<MalformedInputException>(() => DnsMessage.Decode(Convert.FromHexString(hex)));
        Assert.Matches(reason, e.Message);
    }

    [Fact]
    public void Oversized_messages_and_overlong_record_data_are_refused()
    {
        Assert.Throws<MalformedInputException>(() => DnsMessage.Decode(new byte[DnsMessage.MaxMessageSize + 1]));
        // One answer whose data length claims 0xffff bytes.
        var bytes = Convert.FromHexString("000084000000000100000000" + "00" + "00010001" + "00000078" + "ffff" + "0a000001");
        Assert.Throws<MalformedInputException>(() => DnsMessage.Decode(bytes));
    }

    [Fact]
    public void Responses_that_mix_identities_or_say_goodbye_announce_nothing_foreign()
    {
        Assert.Empty(MdnsMessages.ReadPeers(DnsMessage.Decode(Seed("goodbye")), "_p2p._udp.local"));
        Assert.Empty(MdnsMessages.ReadPeers(DnsMessage.Decode(Seed("other-service")), "_p2p._udp.local"));

        using var other = Ed25519Identity.Generate();
        var txt = new byte[][]
        {
            System.Text.Encoding.ASCII.GetBytes("dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/" + Peer),
            System.Text.Encoding.ASCII.GetBytes("dnsaddr=/ip4/10.0.0.2/tcp/1/p2p/" + other.PeerId),
            System.Text.Encoding.ASCII.GetBytes("dnsaddr=/ip4/10.0.0.3/tcp/1"),
            System.Text.Encoding.ASCII.GetBytes("dnsaddr=not a multiaddr"),
            System.Text.Encoding.ASCII.GetBytes("other=thing"),
        };
        var message = new DnsMessage(0, DnsMessage.ResponseFlag, [], [DnsResourceRecord.NamePointer("_p2p._udp.local", "x._p2p._udp.local", 120)], [], [DnsResourceRecord.Text("x._p2p._udp.local", txt, 120)]);
        var peer = Assert.Single(MdnsMessages.ReadPeers(DnsMessage.Decode(message.Encode()), "_p2p._udp.local"));
        Assert.Equal(Peer, peer.PeerId.ToString());
        Assert.Equal("/ip4/10.0.0.1/tcp/1/p2p/" + Peer, Assert.Single(peer.Addresses).ToString());
    }

    [Fact]
    public void Random_messages_round_trip()
    {
        var label = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_"], 1, 20];
        var name = label.Array[1, 4].Select(ls => string.Join('.', ls));
        var txt = Gen.Byte.Array[0, 60].Array[0, 5];
        var record = Gen.OneOf(
            Gen.Select(name, name, Gen.UInt, (n, t, ttl) => DnsResourceRecord.NamePointer(n, t, ttl)),
            Gen.Select(name, txt, Gen.UInt, (n, s, ttl) => DnsResourceRecord.Text(n, s, ttl)),
            Gen.Select(name, Gen.Byte.Array[4], (n, d) => new DnsResourceRecord(n, DnsRecordType.A, 0x8001, 120) { Data = d }));
        var question = Gen.Select(name, Gen.Int[0, 1], (n, any) => new DnsQuestion(n, any == 1 ? DnsRecordType.Any : DnsRecordType.NamePointer));
        Gen.Select(Gen.UShort, Gen.UShort, question.Array[0, 3], record.Array[0, 4], record.Array[0, 3])
            .Sample((id, flags, qs, an, ar) =>
            {
                var m = new DnsMessage(id, flags, qs, an, [], ar);
                var bytes = m.Encode();
                var back = DnsMessage.Decode(bytes);
                Assert.Equal(bytes, back.Encode());
                Assert.Equal(qs.Length, back.Questions.Count);
                Assert.Equal(an.Select(r => r.Name), back.Answers.Select(r => r.Name));
            }, iter: 500);
    }

    [Fact]
    public void Fuzz_target_runs_clean_over_seeds_mutations_and_random_bytes() =>
        NatFuzzReplay.Run(new DnsMessageFuzzer(), "mdns-dns-message", iterations: 3000);

    private static byte[] Seed(string name) =>
        NatFuzzReplay.Seeds("mdns-dns-message").Length > 0
            ? File.ReadAllBytes(Path.Combine(CorpusDir(), name))
            : throw new InvalidOperationException();

    private static string CorpusDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Chhaya.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir.FullName, "fuzz", "corpus", "mdns-dns-message");
    }
}
