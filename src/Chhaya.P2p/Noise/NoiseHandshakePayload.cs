// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Noise;

/// <summary>
/// The libp2p <c>NoiseHandshakePayload</c> (libp2p specs <c>noise/README.md</c>):
/// <code>
/// message NoiseExtensions { repeated bytes webtransport_certhashes = 1; repeated string stream_muxers = 2; }
/// message NoiseHandshakePayload { bytes identity_key = 1; bytes identity_sig = 2; NoiseExtensions extensions = 4; }
/// </code>
/// </summary>
public sealed record NoiseHandshakePayload(byte[] IdentityKey, byte[] IdentitySignature, IReadOnlyList<string> StreamMuxers)
{
    /// <summary>Most stream muxers accepted in the extension.</summary>
    public const int MaxMuxers = 16;

    public byte[] Encode()
    {
        var w = new ProtoWriter();
        w.WriteBytesField(1, IdentityKey);
        w.WriteBytesField(2, IdentitySignature);
        if (StreamMuxers.Count > 0)
        {
            var ext = new ProtoWriter();
            foreach (var m in StreamMuxers)
            {
                ext.WriteStringField(2, m);
            }

            w.WriteBytesField(4, ext.ToArray());
        }

        return w.ToArray();
    }

    /// <exception cref="MalformedInputException">Bad protobuf, or missing key or signature.</exception>
    public static NoiseHandshakePayload Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes);
        byte[]? key = null;
        byte[]? sig = null;
        var muxers = new List<string>();
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    key = r.ReadBytes().ToArray();
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    sig = r.ReadBytes().ToArray();
                    break;
                case 4:
                    ProtoReader.Expect(wire, 2, field);
                    ReadExtensions(r.ReadBytes(), muxers);
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        if (key is null || sig is null)
        {
            throw new MalformedInputException("Noise handshake payload lacks the identity key or signature");
        }

        return new NoiseHandshakePayload(key, sig, muxers);
    }

    private static void ReadExtensions(ReadOnlySpan<byte> bytes, List<string> muxers)
    {
        var r = new ProtoReader(bytes);
        while (!r.End)
        {
            var (field, wire) = r.ReadKey();
            if (field == 2)
            {
                ProtoReader.Expect(wire, 2, field);
                if (muxers.Count >= MaxMuxers)
                {
                    throw new MalformedInputException($"Noise payload lists more than {MaxMuxers} stream muxers");
                }

                muxers.Add(Utf8Strict.Decode(r.ReadBytes()));
            }
            else
            {
                r.Skip(wire);
            }
        }
    }
}
