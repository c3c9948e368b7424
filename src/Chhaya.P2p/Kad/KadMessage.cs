// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Kad;

/// <summary>
/// The DHT <c>Message</c> of the libp2p Kademlia spec (kad-dht/README.md, "RPC messages"):
/// <code>
/// message Message {
///   MessageType type = 1; int32 clusterLevelRaw = 10; bytes key = 2; Record record = 3;
///   repeated Peer closerPeers = 8; repeated Peer providerPeers = 9; }
/// message Peer { bytes id = 1; repeated bytes addrs = 2; ConnectionType connection = 3; }
/// </code>
/// On a stream each message is preceded by its length as an unsigned varint. Decoding checks every length and
/// count against <see cref="KadLimits"/>; unknown fields are skipped, addresses with protocols this codec does not
/// know are dropped rather than failing the message.
/// </summary>
public sealed record KadMessage
{
    public KadMessageType Type { get; init; }

    public byte[] Key { get; init; } = [];

    public KadRecord? Record { get; init; }

    public IReadOnlyList<KadPeer> CloserPeers { get; init; } = [];

    public IReadOnlyList<KadPeer> ProviderPeers { get; init; } = [];

    /// <summary>Unused by the spec ("NOT USED"); carried so that an echoed request stays identical.</summary>
    public int ClusterLevel { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter();
        w.WriteVarintField(1, (ulong)Type);
        if (Key.Length > 0)
        {
            w.WriteBytesField(2, Key);
        }

        if (Record is not null)
        {
            w.WriteBytesField(3, EncodeRecord(Record));
        }

        foreach (var p in CloserPeers)
        {
            w.WriteBytesField(8, EncodePeer(p));
        }

        foreach (var p in ProviderPeers)
        {
            w.WriteBytesField(9, EncodePeer(p));
        }

        if (ClusterLevel > 0)
        {
            w.WriteVarintField(10, (ulong)ClusterLevel);
        }

        return w.ToArray();
    }

    /// <summary>Decodes one message body (without its length prefix).</summary>
    /// <exception cref="MalformedInputException">Not a valid message, or over a bound of <paramref name="limits"/>.</exception>
    public static KadMessage Decode(ReadOnlySpan<byte> bytes, KadLimits? limits = null)
    {
        limits ??= KadLimits.Default;
        if (bytes.Length > limits.MaxMessageSize)
        {
            throw new MalformedInputException($"DHT message of {bytes.Length} bytes is over the limit of {limits.MaxMessageSize}");
        }

        var r = new ProtoReader(bytes);
        var type = KadMessageType.PutValue;
        byte[] key = [];
        KadRecord? record = null;
        var closer = new List<KadPeer>();
        var providers = new List<KadPeer>();
        var cluster = 0;
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    var t = r.ReadVarint();
                    if (t > (ulong)KadMessageType.Ping)
                    {
                        throw new MalformedInputException($"DHT message type {t} is unknown");
                    }

                    type = (KadMessageType)t;
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    key = ReadBounded(ref r, limits.MaxKeySize, "key");
                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    record = DecodeRecord(r.ReadBytes(), limits);
                    break;
                case 8:
                    ProtoReader.Expect(wire, 2, field);
                    AddPeer(closer, r.ReadBytes(), limits);
                    break;
                case 9:
                    ProtoReader.Expect(wire, 2, field);
                    AddPeer(providers, r.ReadBytes(), limits);
                    break;
                case 10:
                    ProtoReader.Expect(wire, 0, field);
                    var level = r.ReadVarint();
                    cluster = level > int.MaxValue ? 0 : (int)level;
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new KadMessage
        {
            Type = type,
            Key = key,
            Record = record,
            CloserPeers = closer,
            ProviderPeers = providers,
            ClusterLevel = cluster,
        };
    }

    internal static byte[] EncodeRecord(KadRecord record)
    {
        var w = new ProtoWriter();
        w.WriteBytesField(1, record.Key);
        w.WriteBytesField(2, record.Value);
        if (!string.IsNullOrEmpty(record.TimeReceived))
        {
            w.WriteStringField(5, record.TimeReceived);
        }

        return w.ToArray();
    }

    internal static byte[] EncodePeer(KadPeer peer)
    {
        var w = new ProtoWriter();
        w.WriteBytesField(1, peer.Id.Bytes);
        foreach (var a in peer.Addresses)
        {
            w.WriteBytesField(2, a.Bytes);
        }

        if (peer.Connection != KadConnectionType.NotConnected)
        {
            w.WriteVarintField(3, (ulong)peer.Connection);
        }

        return w.ToArray();
    }

    private static KadRecord DecodeRecord(ReadOnlySpan<byte> bytes, KadLimits limits)
    {
        var r = new ProtoReader(bytes);
        byte[] key = [];
        byte[] value = [];
        string? time = null;
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    key = ReadBounded(ref r, limits.MaxKeySize, "record key");
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    value = ReadBounded(ref r, limits.MaxValueSize, "record value");
                    break;
                case 5:
                    ProtoReader.Expect(wire, 2, field);
                    time = Utf8Strict.Decode(ReadBounded(ref r, limits.MaxTimeReceivedLength, "record timeReceived"));
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new KadRecord(key, value, time);
    }

    private static void AddPeer(List<KadPeer> list, ReadOnlySpan<byte> bytes, KadLimits limits)
    {
        if (list.Count >= limits.MaxPeersPerMessage)
        {
            throw new MalformedInputException($"DHT message lists more than {limits.MaxPeersPerMessage} peers");
        }

        var r = new ProtoReader(bytes);
        PeerId? id = null;
        var addresses = new List<Multiaddr>();
        var connection = KadConnectionType.NotConnected;
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
                    var raw = r.ReadBytes();
                    if (addresses.Count < limits.MaxAddressesPerPeer)
                    {
                        try
                        {
                            addresses.Add(Multiaddr.Decode(raw));
                        }
                        catch (MalformedInputException)
                        {
                            // Transports this codec does not know (webrtc, quic-v1 certhashes, ...): skip the address only.
                        }
                    }

                    break;
                case 3:
                    ProtoReader.Expect(wire, 0, field);
                    var c = r.ReadVarint();
                    connection = c <= (ulong)KadConnectionType.CannotConnect ? (KadConnectionType)c : KadConnectionType.NotConnected;
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        if (id is null)
        {
            throw new MalformedInputException("DHT peer entry has no id");
        }

        list.Add(new KadPeer(id, addresses, connection));
    }

    private static byte[] ReadBounded(ref ProtoReader r, int max, string what)
    {
        var span = r.ReadBytes();
        if (span.Length > max)
        {
            throw new MalformedInputException($"DHT {what} of {span.Length} bytes is over the limit of {max}");
        }

        return span.ToArray();
    }
}
