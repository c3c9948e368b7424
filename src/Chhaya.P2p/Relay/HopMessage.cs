// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Relay;

/// <summary>Hop message types.</summary>
public enum HopType
{
    Reserve = 0,
    Connect = 1,
    Status = 2,
}

/// <summary>
/// The hop protocol message (<c>/libp2p/circuit/relay/0.2.0/hop</c>), varint-length-prefixed on the stream:
/// <code>
/// message HopMessage { required Type type = 1; optional Peer peer = 2; optional Reservation reservation = 3;
///                      optional Limit limit = 4; optional Status status = 5; }
/// </code>
/// The decoder refuses a message over <see cref="MaxLength"/>, without a type, or with an unknown type or status.
/// </summary>
public sealed record HopMessage(HopType Type)
{
    public const string ProtocolId = "/libp2p/circuit/relay/0.2.0/hop";
    public const int MaxLength = 8 * 1024;

    public RelayPeer? Peer { get; init; }

    public RelayReservationInfo? Reservation { get; init; }

    public RelayLimit? Limit { get; init; }

    public RelayStatus? Status { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter();
        w.WriteVarintField(1, (ulong)Type);
        if (Peer is not null)
        {
            w.WriteBytesField(2, Peer.Encode());
        }

        if (Reservation is not null)
        {
            w.WriteBytesField(3, Reservation.Encode());
        }

        if (Limit is not null)
        {
            w.WriteBytesField(4, Limit.Encode());
        }

        if (Status is { } status)
        {
            w.WriteVarintField(5, (ulong)status);
        }

        return w.ToArray();
    }

    /// <exception cref="MalformedInputException">Bad protobuf, a missing or unknown type, an unknown status, or over a limit.</exception>
    public static HopMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new MalformedInputException($"hop message is longer than {MaxLength} bytes");
        }

        var r = new ProtoReader(bytes);
        HopType? type = null;
        RelayPeer? peer = null;
        RelayReservationInfo? reservation = null;
        RelayLimit? limit = null;
        RelayStatus? status = null;
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    var t = r.ReadVarint();
                    type = t <= (ulong)HopType.Status ? (HopType)t : throw new MalformedInputException($"hop message type {t} is unknown");
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    peer = RelayPeer.Decode(r.ReadBytes());
                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    reservation = RelayReservationInfo.Decode(r.ReadBytes());
                    break;
                case 4:
                    ProtoReader.Expect(wire, 2, field);
                    limit = RelayLimit.Decode(r.ReadBytes());
                    break;
                case 5:
                    ProtoReader.Expect(wire, 0, field);
                    status = RelayCodec.Status(r.ReadVarint());
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new HopMessage(type ?? throw new MalformedInputException("hop message lacks its type"))
        {
            Peer = peer,
            Reservation = reservation,
            Limit = limit,
            Status = status,
        };
    }
}
