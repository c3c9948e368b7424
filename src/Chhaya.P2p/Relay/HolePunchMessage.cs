// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Relay;

/// <summary>DCUtR message types.</summary>
public enum HolePunchType
{
    Connect = 100,
    Sync = 300,
}

/// <summary>
/// The DCUtR message (specs <c>relay/DCUtR.md</c>, protocol <c>/libp2p/dcutr</c>), varint-length-prefixed:
/// <c>message HolePunch { optional Type type = 1; repeated bytes ObsAddrs = 2; }</c> with CONNECT = 100 and
/// SYNC = 300. The decoder refuses messages over 4 KiB (the spec's bound), a missing or unknown type, and more
/// than 32 addresses or one over 1024 bytes.
/// </summary>
public sealed record HolePunchMessage(HolePunchType Type, IReadOnlyList<byte[]> Addresses)
{
    public const string ProtocolId = "/libp2p/dcutr";
    public const int MaxLength = 4 * 1024;

    public byte[] Encode()
    {
        var w = new ProtoWriter();
        w.WriteVarintField(1, (ulong)Type);
        foreach (var a in Addresses)
        {
            w.WriteBytesField(2, a);
        }

        return w.ToArray();
    }

    /// <exception cref="MalformedInputException">Bad protobuf, a missing or unknown type, or over a limit.</exception>
    public static HolePunchMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new MalformedInputException($"hole punch message is longer than {MaxLength} bytes");
        }

        var r = new ProtoReader(bytes);
        HolePunchType? type = null;
        var addresses = new List<byte[]>();
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    var t = r.ReadVarint();
                    type = t is 100 or 300 ? (HolePunchType)t : throw new MalformedInputException($"hole punch type {t} is unknown");
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

        return new HolePunchMessage(type ?? throw new MalformedInputException("hole punch message lacks its type"), addresses);
    }
}
