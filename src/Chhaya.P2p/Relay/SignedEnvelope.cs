// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Identity;
using Chhaya.Safety;

namespace Chhaya.P2p.Relay;

/// <summary>
/// A libp2p signed envelope (libp2p specs <c>RFC/0002-signed-envelopes.md</c>):
/// <code>
/// message Envelope { PublicKey public_key = 1; bytes payload_type = 2; bytes payload = 3; bytes signature = 5; }
/// </code>
/// The signature covers <c>varint(len(domain)) || domain || varint(len(payload_type)) || payload_type ||
/// varint(len(payload)) || payload</c>; the domain is not in the envelope, so a signature made for one purpose
/// cannot be replayed for another.
/// </summary>
public sealed record SignedEnvelope(PublicKey PublicKey, byte[] PayloadType, byte[] Payload, byte[] Signature)
{
    public const int MaxLength = 4096;

    /// <summary>Signs <paramref name="payload"/> for <paramref name="domain"/> and returns the encoded envelope.</summary>
    public static byte[] Seal(Ed25519Identity identity, string domain, ReadOnlySpan<byte> payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var signature = identity.Sign(SignedBytes(domain, payloadType, payload));
        var w = new ProtoWriter();
        w.WriteBytesField(1, identity.PublicKey.Encoded);
        w.WriteBytesField(2, payloadType);
        w.WriteBytesField(3, payload);
        w.WriteBytesField(5, signature);
        return w.ToArray();
    }

    /// <summary>Decodes an envelope and checks its payload type and its signature for <paramref name="domain"/>.</summary>
    /// <exception cref="MalformedInputException">Malformed, another payload type, or a bad signature.</exception>
    public static SignedEnvelope Open(ReadOnlySpan<byte> bytes, string domain, ReadOnlySpan<byte> expectedPayloadType)
    {
        var envelope = Decode(bytes);
        if (!envelope.PayloadType.AsSpan().SequenceEqual(expectedPayloadType))
        {
            throw new MalformedInputException("signed envelope carries another payload type");
        }

        if (!envelope.PublicKey.Verify(SignedBytes(domain, envelope.PayloadType, envelope.Payload), envelope.Signature))
        {
            throw new MalformedInputException("signed envelope signature does not verify");
        }

        return envelope;
    }

    /// <summary>Decodes without checking the signature.</summary>
    /// <exception cref="MalformedInputException">Malformed, over <see cref="MaxLength"/>, or a field missing.</exception>
    public static SignedEnvelope Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new MalformedInputException($"signed envelope is longer than {MaxLength} bytes");
        }

        var r = new ProtoReader(bytes);
        PublicKey? key = null;
        byte[]? type = null, payload = null, signature = null;
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
                    type = r.ReadBytes().ToArray();
                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    payload = r.ReadBytes().ToArray();
                    break;
                case 5:
                    ProtoReader.Expect(wire, 2, field);
                    signature = r.ReadBytes().ToArray();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        if (key is null || type is null || payload is null || signature is null)
        {
            throw new MalformedInputException("signed envelope lacks a field");
        }

        return new SignedEnvelope(key, type, payload, signature);
    }

    private static byte[] SignedBytes(string domain, ReadOnlySpan<byte> payloadType, ReadOnlySpan<byte> payload)
    {
        var d = System.Text.Encoding.UTF8.GetBytes(domain);
        var buffer = new List<byte>(d.Length + payloadType.Length + payload.Length + 30);
        Append(buffer, d);
        Append(buffer, payloadType);
        Append(buffer, payload);
        return [.. buffer];
    }

    private static void Append(List<byte> buffer, ReadOnlySpan<byte> part)
    {
        Varint.Write((ulong)part.Length, buffer);
        buffer.AddRange(part);
    }
}
