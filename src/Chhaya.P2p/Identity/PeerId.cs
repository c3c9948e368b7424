// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Identity;

/// <summary>
/// A libp2p peer id: a multihash of the encoded <see cref="PublicKey"/> (peer-ids spec, "Peer Ids"). Keys whose
/// encoding is at most 42 bytes (Ed25519, secp256k1) use the identity multihash, so the key can be read back
/// from the id; larger keys use sha2-256. The text form is base58btc; the CIDv1 form (codec libp2p-key) is
/// accepted on input.
/// </summary>
public sealed class PeerId : IEquatable<PeerId>
{
    /// <summary>Largest multihash accepted: an identity hash of a 42-byte key plus its 2-byte header.</summary>
    public const int MaxLength = 44;

    private const int IdentityCode = 0x00;
    private const int Sha256Code = 0x12;
    private const int LibP2pKeyCodec = 0x72;
    private const int MaxIdentityKeyLength = 42;

    private readonly byte[] _multihash;

    private PeerId(byte[] multihash) => _multihash = multihash;

    /// <summary>The multihash bytes, as carried in multiaddrs (<c>/p2p/...</c>) and protobufs.</summary>
    public ReadOnlySpan<byte> Bytes => _multihash;

    /// <summary>Derives the peer id of <paramref name="key"/>.</summary>
    public static PeerId FromPublicKey(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var encoded = key.Encoded;
        if (encoded.Length <= MaxIdentityKeyLength)
        {
            var mh = new byte[2 + encoded.Length];
            mh[0] = IdentityCode;
            mh[1] = (byte)encoded.Length;
            encoded.CopyTo(mh.AsSpan(2));
            return new PeerId(mh);
        }

        var hashed = new byte[34];
        hashed[0] = Sha256Code;
        hashed[1] = 32;
        SHA256.HashData(encoded, hashed.AsSpan(2));
        return new PeerId(hashed);
    }

    /// <summary>Parses multihash bytes.</summary>
    /// <exception cref="MalformedInputException">Not an identity or sha2-256 multihash of the right length.</exception>
    public static PeerId FromBytes(ReadOnlySpan<byte> multihash)
    {
        if (multihash.Length > MaxLength)
        {
            throw new MalformedInputException($"peer id is longer than {MaxLength} bytes");
        }

        var code = Varint.Read(multihash, out var c1);
        var length = Varint.Read(multihash[c1..], out var c2);
        var digest = multihash[(c1 + c2)..];
        if ((ulong)digest.Length != length)
        {
            throw new MalformedInputException("peer id multihash length does not match its digest");
        }

        switch (code)
        {
            case IdentityCode:
                if (length > MaxIdentityKeyLength)
                {
                    throw new MalformedInputException("identity peer ids hold at most 42 bytes of key");
                }

                // The identity digest must itself be a valid public key.
                _ = PublicKey.Decode(digest);
                break;
            case Sha256Code:
                if (length != 32)
                {
                    throw new MalformedInputException("sha2-256 peer id must have a 32-byte digest");
                }

                break;
            default:
                throw new MalformedInputException($"peer id multihash code 0x{code:x} is not identity or sha2-256");
        }

        return new PeerId(multihash.ToArray());
    }

    /// <summary>Parses the text forms: base58btc multihash (<c>Qm...</c>, <c>12D3KooW...</c>) or a multibase CIDv1.</summary>
    /// <exception cref="MalformedInputException">The text is neither form or encodes a bad peer id.</exception>
    public static PeerId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text.Length > 256)
        {
            throw new MalformedInputException("peer id text is empty or too long");
        }

        // Spec, "Decoding": a string starting with 1 or Qm is a bare base58btc multihash; anything else is multibase CID.
        if (text[0] == '1' || text.StartsWith("Qm", StringComparison.Ordinal))
        {
            return FromBytes(Base58.Decode(text));
        }

        var cid = Multibase.Decode(text);
        var version = Varint.Read(cid, out var v1);
        if (version != 1)
        {
            throw new MalformedInputException($"CID version {version} is not 1");
        }

        var codec = Varint.Read(cid.AsSpan(v1), out var v2);
        if (codec != LibP2pKeyCodec)
        {
            throw new MalformedInputException($"CID codec 0x{codec:x} is not libp2p-key (0x72)");
        }

        return FromBytes(cid.AsSpan(v1 + v2));
    }

    /// <summary>The public key inside an identity-hash peer id, or null for a sha2-256 one.</summary>
    public PublicKey? TryGetPublicKey() =>
        _multihash[0] == IdentityCode ? PublicKey.Decode(_multihash.AsSpan(2)) : null;

    /// <summary>True when <paramref name="key"/> hashes to this peer id.</summary>
    public bool Matches(PublicKey key) => Equals(FromPublicKey(key));

    /// <summary>The CIDv1 text form in base32 (<c>b...</c>).</summary>
    public string ToCidString()
    {
        var cid = new byte[2 + _multihash.Length];
        cid[0] = 1;
        cid[1] = LibP2pKeyCodec;
        _multihash.CopyTo(cid, 2);
        return Multibase.EncodeBase32(cid);
    }

    /// <summary>The base58btc text form.</summary>
    public override string ToString() => Base58.Encode(_multihash);

    public bool Equals(PeerId? other) => other is not null && _multihash.AsSpan().SequenceEqual(other._multihash);

    public override bool Equals(object? obj) => Equals(obj as PeerId);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(_multihash);
        return h.ToHashCode();
    }
}
