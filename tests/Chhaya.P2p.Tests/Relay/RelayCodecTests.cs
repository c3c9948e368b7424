// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Fuzz.Relay;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Relay;
using Chhaya.P2p.Tests.Mdns;
using Chhaya.Safety;

namespace Chhaya.P2p.Tests.Relay;

public class RelayCodecTests
{
    [Fact]
    public void Hop_and_stop_messages_round_trip_in_field_order()
    {
        using var peer = Ed25519Identity.Generate();
        var hop = new HopMessage(HopType.Status)
        {
            Status = RelayStatus.Ok,
            Reservation = new RelayReservationInfo(1_900_000_000, [[1, 2]], [3]),
            Limit = new RelayLimit(120, 65536),
        };
        var back = HopMessage.Decode(hop.Encode());
        Assert.Equal((HopType.Status, RelayStatus.Ok, 1_900_000_000UL), (back.Type, back.Status, back.Reservation!.Expire));
        Assert.Equal(hop.Limit, back.Limit);
        Assert.Equal(hop.Encode(), back.Encode());

        // RESERVE is just "type = 0", written explicitly.
        Assert.Equal("0800", Convert.ToHexStringLower(new HopMessage(HopType.Reserve).Encode()));

        var stop = new StopMessage(StopType.Connect) { Peer = new RelayPeer(peer.PeerId, []), Limit = new RelayLimit(0, 10) };
        var stopBack = StopMessage.Decode(stop.Encode());
        Assert.Equal(peer.PeerId, stopBack.Peer!.Id);
        Assert.Equal(new RelayLimit(0, 10), stopBack.Limit);
    }

    [Theory]
    [InlineData("0803")] // hop type 3
    [InlineData("2864")] // status without a type
    [InlineData("08022807")] // status 7
    [InlineData("0801120a0a0800240801122000")] // peer id truncated inside
    [InlineData("0802220608ffffffff1f")] // duration over 32 bits
    public void Malformed_hop_messages_are_refused(string hex) =>
        Assert.Throws<MalformedInputException>(() => HopMessage.Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Oversized_messages_and_address_floods_are_refused()
    {
        Assert.Throws<MalformedInputException>(() => HopMessage.Decode(new byte[HopMessage.MaxLength + 1]));
        Assert.Throws<MalformedInputException>(() => StopMessage.Decode(new byte[StopMessage.MaxLength + 1]));
        var flood = new HopMessage(HopType.Status) { Reservation = new RelayReservationInfo(1, [.. Enumerable.Range(0, 33).Select(_ => new byte[] { 1 })], null) };
        Assert.Throws<MalformedInputException>(() => HopMessage.Decode(flood.Encode()));
    }

    [Fact]
    public void Vouchers_verify_only_with_the_relays_signature_and_domain()
    {
        using var relay = Ed25519Identity.Generate();
        using var peer = Ed25519Identity.Generate();
        var voucher = new ReservationVoucher(relay.PeerId, peer.PeerId, 1_900_000_000);
        var sealedVoucher = voucher.Seal(relay);
        Assert.Equal(voucher, ReservationVoucher.Open(sealedVoucher));

        // Signed by the peer instead of the relay it names.
        var forged = SignedEnvelope.Seal(peer, ReservationVoucher.Domain, [0x03, 0x02], voucher.EncodePayload());
        Assert.Throws<MalformedInputException>(() => ReservationVoucher.Open(forged));

        // Same signature under another domain or payload type.
        var otherDomain = SignedEnvelope.Seal(relay, "libp2p-peer-record", [0x03, 0x02], voucher.EncodePayload());
        Assert.Throws<MalformedInputException>(() => ReservationVoucher.Open(otherDomain));
        var otherType = SignedEnvelope.Seal(relay, ReservationVoucher.Domain, [0x03, 0x01], voucher.EncodePayload());
        Assert.Throws<MalformedInputException>(() => ReservationVoucher.Open(otherType));

        // Any flipped bit breaks it.
        for (var i = 0; i < sealedVoucher.Length; i++)
        {
            var tampered = sealedVoucher.ToArray();
            tampered[i] ^= 0x01;
            Assert.ThrowsAny<MalformedInputException>(() => ReservationVoucher.Open(tampered));
        }
    }

    [Fact]
    public void The_checked_in_voucher_seed_verifies_and_its_payload_is_canonical()
    {
        var seed = NatFuzzReplay.Seeds("relay-messages");
        var opened = seed.Select(s =>
        {
            try
            {
                return ReservationVoucher.Open(s);
            }
            catch (MalformedInputException)
            {
                return null;
            }
        }).Single(v => v is not null)!;
        Assert.Equal("12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN", opened.Relay.ToString());
        Assert.Equal(1_900_000_000UL, opened.Expiration);
    }

    [Fact]
    public void Hole_punch_messages_round_trip_and_are_bounded()
    {
        var connect = new HolePunchMessage(HolePunchType.Connect, [[4, 127, 0, 0, 1, 6, 15, 161]]);
        Assert.Equal("08641208047f000001060fa1", Convert.ToHexStringLower(connect.Encode()));
        Assert.Equal(HolePunchType.Sync, HolePunchMessage.Decode(Convert.FromHexString("08ac02")).Type);
        Assert.Single(HolePunchMessage.Decode(connect.Encode()).Addresses);
        Assert.Throws<MalformedInputException>(() => HolePunchMessage.Decode(Convert.FromHexString("0865")));
        Assert.Throws<MalformedInputException>(() => HolePunchMessage.Decode(Convert.FromHexString("1200")));
        Assert.Throws<MalformedInputException>(() => HolePunchMessage.Decode(new byte[HolePunchMessage.MaxLength + 1]));
    }

    [Fact]
    public void Fuzz_target_runs_clean_over_seeds_mutations_and_random_bytes() =>
        NatFuzzReplay.Run(new RelayMessageFuzzer(), "relay-messages", iterations: 3000);
}
