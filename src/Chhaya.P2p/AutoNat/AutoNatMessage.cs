// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.AutoNat;

/// <summary>AutoNAT v1 response status codes.</summary>
public enum AutoNatStatus
{
    Ok = 0,
    DialError = 100,
    DialRefused = 101,
    BadRequest = 200,
    InternalError = 300,
}

/// <summary>
/// The AutoNAT v1 message (libp2p specs <c>autonat/autonat-v1.md</c>), varint-length-prefixed on the stream:
/// <code>
/// message Message { optional MessageType type = 1;  // DIAL = 0, DIAL_RESPONSE = 1
///   optional Dial dial = 2;                         // Dial { optional PeerInfo peer = 1; }
///   optional DialResponse dialResponse = 3; }       // { optional ResponseStatus status = 1;
///                                                   //   optional string statusText = 2; optional bytes addr = 3; }
/// message PeerInfo { optional bytes id = 1; repeated bytes addrs = 2; }
/// </code>
/// Addresses stay raw bytes here (the server decodes and filters them). The decoder bounds the message size,
/// the address count and sizes, and the status text, and refuses unknown message types and status codes.
/// </summary>
public sealed record AutoNatMessage
{
    public const string ProtocolId = "/libp2p/autonat/1.0.0";
    public const int MaxLength = 8 * 1024;
    public const int MaxAddresses = 32;
    public const int MaxAddressLength = 1024;
    public const int MaxStatusTextLength = 256;

    public const int TypeDial = 0;
    public const int TypeDialResponse = 1;

    public int Type { get; init; }

    /// <summary>For DIAL: the peer id bytes (may be absent).</summary>
    public byte[]? PeerId { get; init; }

    /// <summary>For DIAL: the binary multiaddrs to dial back.</summary>
    public IReadOnlyList<byte[]> Addresses { get; init; } = [];

    /// <summary>Whether a DIAL carried its peer field at all.</summary>
    public bool HasPeer { get; init; }

    public AutoNatStatus? Status { get; init; }

    public string? StatusText { get; init; }

    public byte[]? Address { get; init; }

    public static AutoNatMessage Dial(ReadOnlySpan<byte> peerId, IEnumerable<byte[]> addresses) =>
        new() { Type = TypeDial, HasPeer = true, PeerId = peerId.ToArray(), Addresses = [.. addresses] };

    public static AutoNatMessage Response(AutoNatStatus status, string? text = null, byte[]? address = null) =>
        new() { Type = TypeDialResponse, Status = status, StatusText = text, Address = address };

    public byte[] Encode()
    {
        var w = new ProtoWriter();
        w.WriteVarintField(1, (ulong)Type);
        if (Type == TypeDial)
        {
            var peer = new ProtoWriter();
            if (PeerId is not null)
            {
                peer.WriteBytesField(1, PeerId);
            }

            foreach (var a in Addresses)
            {
                peer.WriteBytesField(2, a);
            }

            var dial = new ProtoWriter();
            dial.WriteBytesField(1, peer.ToArray());
            w.WriteBytesField(2, dial.ToArray());
        }
        else
        {
            var response = new ProtoWriter();
            if (Status is { } status)
            {
                response.WriteVarintField(1, (ulong)status);
            }

            if (StatusText is not null)
            {
                response.WriteStringField(2, StatusText);
            }

            if (Address is not null)
            {
                response.WriteBytesField(3, Address);
            }

            w.WriteBytesField(3, response.ToArray());
        }

        return w.ToArray();
    }

    /// <exception cref="MalformedInputException">Bad protobuf, an unknown type or status, or over a limit.</exception>
    public static AutoNatMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new MalformedInputException($"AutoNAT message is longer than {MaxLength} bytes");
        }

        var r = new ProtoReader(bytes);
        int? type = null;
        var message = new AutoNatMessage();
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    var t = r.ReadVarint();
                    if (t > TypeDialResponse)
                    {
                        throw new MalformedInputException($"AutoNAT message type {t} is unknown");
                    }

                    type = (int)t;
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    message = DecodeDial(r.ReadBytes(), message);
                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    message = DecodeResponse(r.ReadBytes(), message);
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return message with { Type = type ?? throw new MalformedInputException("AutoNAT message lacks its type") };
    }

    private static AutoNatMessage DecodeDial(ReadOnlySpan<byte> bytes, AutoNatMessage message)
    {
        var r = new ProtoReader(bytes);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            if (field != 1)
            {
                r.Skip(wire);
                continue;
            }

            ProtoReader.Expect(wire, 2, field);
            var peer = new ProtoReader(r.ReadBytes());
            byte[]? id = null;
            var addresses = new List<byte[]>();
            while (!peer.End)
            {
                var (f, w) = peer.ReadKey();
                switch (f)
                {
                    case 1:
                        ProtoReader.Expect(w, 2, f);
                        id = peer.ReadBytes().ToArray();
                        break;
                    case 2:
                        ProtoReader.Expect(w, 2, f);
                        var a = peer.ReadBytes();
                        if (addresses.Count == MaxAddresses || a.Length > MaxAddressLength)
                        {
                            throw new MalformedInputException($"AutoNAT dial holds more than {MaxAddresses} addresses or one over {MaxAddressLength} bytes");
                        }

                        addresses.Add(a.ToArray());
                        break;
                    default:
                        peer.Skip(w);
                        break;
                }
            }

            message = message with { HasPeer = true, PeerId = id, Addresses = addresses };
        }

        return message;
    }

    private static AutoNatMessage DecodeResponse(ReadOnlySpan<byte> bytes, AutoNatMessage message)
    {
        var r = new ProtoReader(bytes);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    var s = r.ReadVarint();
                    if (s > int.MaxValue || !Enum.IsDefined((AutoNatStatus)(int)s))
                    {
                        throw new MalformedInputException($"AutoNAT status {s} is unknown");
                    }

                    message = message with { Status = (AutoNatStatus)(int)s };
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    var text = r.ReadBytes();
                    if (text.Length > MaxStatusTextLength * 4)
                    {
                        throw new MalformedInputException("AutoNAT status text is too long");
                    }

                    var decoded = Utf8Strict.Decode(text);
                    message = message with { StatusText = decoded.Length > MaxStatusTextLength ? decoded[..MaxStatusTextLength] : decoded };
                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    var a = r.ReadBytes();
                    if (a.Length > MaxAddressLength)
                    {
                        throw new MalformedInputException("AutoNAT response address is too long");
                    }

                    message = message with { Address = a.ToArray() };
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return message;
    }
}
