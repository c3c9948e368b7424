// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Relay;

/// <summary>
/// The reservation voucher (specs <c>relay/circuit-v2.md</c>, "Reservation Vouchers"): a signed envelope with
/// domain <c>libp2p-relay-rsvp</c>, payload type <c>0x0302</c>, and the canonical protobuf payload
/// <c>message Voucher { required bytes relay = 1; required bytes peer = 2; required uint64 expiration = 3; }</c>
/// (fields in id order), signed by the relay's identity key.
/// </summary>
public sealed record ReservationVoucher(PeerId Relay, PeerId Peer, ulong Expiration)
{
    public const string Domain = "libp2p-relay-rsvp";

    private static readonly byte[] PayloadType = [0x03, 0x02];

    public byte[] EncodePayload()
    {
        var w = new ProtoWriter();
        w.WriteBytesField(1, Relay.Bytes);
        w.WriteBytesField(2, Peer.Bytes);
        w.WriteVarintField(3, Expiration);
        return w.ToArray();
    }

    /// <summary>The voucher as a signed envelope, signed by <paramref name="relay"/>.</summary>
    public byte[] Seal(Ed25519Identity relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        if (!relay.PeerId.Equals(Relay))
        {
            throw new ArgumentException("only the relay signs its vouchers", nameof(relay));
        }

        return SignedEnvelope.Seal(relay, Domain, PayloadType, EncodePayload());
    }

    /// <summary>Opens a voucher envelope: the signature must verify and the signer must be the voucher's relay.</summary>
    /// <exception cref="MalformedInputException">Malformed, a bad signature, or signed by another key.</exception>
    public static ReservationVoucher Open(ReadOnlySpan<byte> envelope)
    {
        var e = SignedEnvelope.Open(envelope, Domain, PayloadType);
        var voucher = DecodePayload(e.Payload);
        if (!voucher.Relay.Matches(e.PublicKey))
        {
            throw new MalformedInputException("voucher is not signed by its relay");
        }

        return voucher;
    }

    /// <exception cref="MalformedInputException">Malformed or a required field missing.</exception>
    public static ReservationVoucher DecodePayload(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        PeerId? relay = null, peer = null;
        ulong? expiration = null;
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    relay = PeerId.FromBytes(r.ReadBytes());
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    peer = PeerId.FromBytes(r.ReadBytes());
                    break;
                case 3:
                    ProtoReader.Expect(wire, 0, field);
                    expiration = r.ReadVarint();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return relay is not null && peer is not null && expiration is { } exp
            ? new ReservationVoucher(relay, peer, exp)
            : throw new MalformedInputException("voucher lacks a required field");
    }
}
