// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Protocols;

/// <summary>
/// The identify message (libp2p specs <c>identify/README.md</c>):
/// <code>
/// message Identify {
///   optional string protocolVersion = 5; optional string agentVersion = 6; optional bytes publicKey = 1;
///   repeated bytes listenAddrs = 2; optional bytes observedAddr = 4; repeated string protocols = 3;
///   optional bytes signedPeerRecord = 8; }
/// </code>
/// On the wire it is preceded by a varint length. Listen addresses with protocols this codec does not know
/// (websockets, webrtc, ...) are skipped rather than failing the whole message.
/// </summary>
public sealed record IdentifyInfo(
    PublicKey? PublicKey,
    string ProtocolVersion,
    string AgentVersion,
    IReadOnlyList<Multiaddr> ListenAddresses,
    IReadOnlyList<string> Protocols,
    Multiaddr? ObservedAddress)
{
    /// <summary>Largest identify message accepted.</summary>
    public const int MaxLength = 64 * 1024;

    public const int MaxProtocols = 512;
    public const int MaxAddresses = 128;
    public const int MaxStringLength = 1024;

    public byte[] Encode()
    {
        var w = new ProtoWriter();
        if (PublicKey is not null)
        {
            w.WriteBytesField(1, PublicKey.Encoded);
        }

        foreach (var a in ListenAddresses)
        {
            w.WriteBytesField(2, a.Bytes);
        }

        foreach (var p in Protocols)
        {
            w.WriteStringField(3, p);
        }

        if (ObservedAddress is not null)
        {
            w.WriteBytesField(4, ObservedAddress.Bytes);
        }

        w.WriteStringField(5, ProtocolVersion);
        w.WriteStringField(6, AgentVersion);
        return w.ToArray();
    }

    /// <exception cref="MalformedInputException">Bad protobuf, a bad key, or over a count or size limit.</exception>
    public static IdentifyInfo Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new MalformedInputException($"identify message is longer than {MaxLength} bytes");
        }

        var r = new ProtoReader(bytes);
        PublicKey? key = null;
        string protocolVersion = "", agentVersion = "";
        var addresses = new List<Multiaddr>();
        var protocols = new List<string>();
        Multiaddr? observed = null;
        var addressCount = 0;
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    key = PublicKey.Decode(r.ReadBytes());
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    if (++addressCount > MaxAddresses)
                    {
                        throw new MalformedInputException($"identify lists more than {MaxAddresses} addresses");
                    }

                    var raw = r.ReadBytes();
                    if (TryDecodeAddress(raw) is { } address)
                    {
                        addresses.Add(address);
                    }

                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    if (protocols.Count >= MaxProtocols)
                    {
                        throw new MalformedInputException($"identify lists more than {MaxProtocols} protocols");
                    }

                    protocols.Add(ReadString(r.ReadBytes()));
                    break;
                case 4:
                    ProtoReader.Expect(wire, 2, field);
                    observed = TryDecodeAddress(r.ReadBytes());
                    break;
                case 5:
                    ProtoReader.Expect(wire, 2, field);
                    protocolVersion = ReadString(r.ReadBytes());
                    break;
                case 6:
                    ProtoReader.Expect(wire, 2, field);
                    agentVersion = ReadString(r.ReadBytes());
                    break;
                default:
                    // signedPeerRecord (8) and future fields: not used yet.
                    r.Skip(wire);
                    break;
            }
        }

        return new IdentifyInfo(key, protocolVersion, agentVersion, addresses, protocols, observed);
    }

    private static Multiaddr? TryDecodeAddress(ReadOnlySpan<byte> raw)
    {
        try
        {
            return Multiaddr.Decode(raw);
        }
        catch (MalformedInputException)
        {
            return null;
        }
    }

    private static string ReadString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxStringLength)
        {
            throw new MalformedInputException($"identify string is longer than {MaxStringLength} bytes");
        }

        return Utf8Strict.Decode(bytes);
    }
}
