// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Relay;

/// <summary><c>message Peer { required bytes id = 1; repeated bytes addrs = 2; }</c>. Addresses stay raw bytes.</summary>
public sealed record RelayPeer(PeerId Id, IReadOnlyList<byte[]> Addresses)
{
    internal byte[] Encode()
    {
        var w = new ProtoWriter();
        w.WriteBytesField(1, Id.Bytes);
        foreach (var a in Addresses)
        {
            w.WriteBytesField(2, a);
        }

        return w.ToArray();
    }

    internal static RelayPeer Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        PeerId? id = null;
        var addresses = new List<byte[]>();
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    id = PeerId.FromBytes(r.ReadBytes());
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    addresses.Add(RelayCodec.BoundedAddress(r.ReadBytes(), addresses.Count));
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new RelayPeer(id ?? throw new MalformedInputException("relay Peer lacks its id"), addresses);
    }
}

/// <summary>
/// <c>message Limit { optional uint32 duration = 1; optional uint64 data = 2; }</c>: seconds and bytes per
/// direction; 0 (or absent) means no limit.
/// </summary>
public sealed record RelayLimit(uint DurationSeconds, ulong DataBytes)
{
    internal byte[] Encode()
    {
        var w = new ProtoWriter();
        if (DurationSeconds != 0)
        {
            w.WriteVarintField(1, DurationSeconds);
        }

        if (DataBytes != 0)
        {
            w.WriteVarintField(2, DataBytes);
        }

        return w.ToArray();
    }

    internal static RelayLimit Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        uint duration = 0;
        ulong data = 0;
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    var d = r.ReadVarint();
                    duration = d <= uint.MaxValue ? (uint)d : throw new MalformedInputException("relay limit duration is over 32 bits");
                    break;
                case 2:
                    ProtoReader.Expect(wire, 0, field);
                    data = r.ReadVarint();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new RelayLimit(duration, data);
    }
}

/// <summary>
/// <c>message Reservation { optional uint64 expire = 1; repeated bytes addrs = 2; optional bytes voucher = 3; }</c>:
/// expiry in UNIX seconds (UTC), the relay's addresses (with <c>/p2p/RELAY</c>, without <c>/p2p-circuit</c>), and
/// the signed voucher envelope.
/// </summary>
public sealed record RelayReservationInfo(ulong Expire, IReadOnlyList<byte[]> Addresses, byte[]? Voucher)
{
    internal byte[] Encode()
    {
        var w = new ProtoWriter();
        w.WriteVarintField(1, Expire);
        foreach (var a in Addresses)
        {
            w.WriteBytesField(2, a);
        }

        if (Voucher is not null)
        {
            w.WriteBytesField(3, Voucher);
        }

        return w.ToArray();
    }

    internal static RelayReservationInfo Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        ulong expire = 0;
        byte[]? voucher = null;
        var addresses = new List<byte[]>();
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    expire = r.ReadVarint();
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    addresses.Add(RelayCodec.BoundedAddress(r.ReadBytes(), addresses.Count));
                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    var v = r.ReadBytes();
                    voucher = v.Length <= SignedEnvelope.MaxLength ? v.ToArray() : throw new MalformedInputException("relay voucher is too long");
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new RelayReservationInfo(expire, addresses, voucher);
    }
}

internal static class RelayCodec
{
    public const int MaxAddresses = 32;
    public const int MaxAddressLength = 1024;

    public static byte[] BoundedAddress(ReadOnlySpan<byte> address, int countSoFar)
    {
        if (countSoFar >= MaxAddresses || address.Length > MaxAddressLength)
        {
            throw new MalformedInputException($"relay message holds more than {MaxAddresses} addresses or one over {MaxAddressLength} bytes");
        }

        return address.ToArray();
    }

    public static RelayStatus Status(ulong value) =>
        value <= int.MaxValue && Enum.IsDefined((RelayStatus)(int)value)
            ? (RelayStatus)(int)value
            : throw new MalformedInputException($"relay status {value} is unknown");
}
