// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Relay;

/// <summary>Stop message types.</summary>
public enum StopType
{
    Connect = 0,
    Status = 1,
}

/// <summary>
/// The stop protocol message (<c>/libp2p/circuit/relay/0.2.0/stop</c>), varint-length-prefixed on the stream:
/// <code>
/// message StopMessage { required Type type = 1; optional Peer peer = 2; optional Limit limit = 3; optional Status status = 4; }
/// </code>
/// </summary>
public sealed record StopMessage(StopType Type)
{
    public const string ProtocolId = "/libp2p/circuit/relay/0.2.0/stop";
    public const int MaxLength = 8 * 1024;

    public RelayPeer? Peer { get; init; }

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

        if (Limit is not null)
        {
            w.WriteBytesField(3, Limit.Encode());
        }

        if (Status is { } status)
        {
            w.WriteVarintField(4, (ulong)status);
        }

        return w.ToArray();
    }

    /// <exception cref="MalformedInputException">Bad protobuf, a missing or unknown type, an unknown status, or over a limit.</exception>
    public static StopMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new MalformedInputException($"stop message is longer than {MaxLength} bytes");
        }

        var r = new ProtoReader(bytes);
        StopType? type = null;
        RelayPeer? peer = null;
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
                    type = t <= (ulong)StopType.Status ? (StopType)t : throw new MalformedInputException($"stop message type {t} is unknown");
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    peer = RelayPeer.Decode(r.ReadBytes());
                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    limit = RelayLimit.Decode(r.ReadBytes());
                    break;
                case 4:
                    ProtoReader.Expect(wire, 0, field);
                    status = RelayCodec.Status(r.ReadVarint());
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new StopMessage(type ?? throw new MalformedInputException("stop message lacks its type")) { Peer = peer, Limit = limit, Status = status };
    }
}
