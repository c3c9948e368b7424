// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;
using CryptoEd25519 = Chhaya.Crypto.Ed25519;

namespace Chhaya.P2p.Identity;

/// <summary>
/// A node's libp2p identity: an Ed25519 key pair (Chhaya.Crypto, RFC 8032) whose 32-byte seed lives in
/// <see cref="SecretBytes"/> and is wiped on dispose. The peer id is derived from the public key.
/// </summary>
public sealed class Ed25519Identity : IDisposable
{
    private readonly SecretBytes _seed;
    private readonly byte[] _publicKey;

    private Ed25519Identity(SecretBytes seed)
    {
        _seed = seed;
        _publicKey = CryptoEd25519.PublicKey(seed);
        PublicKey = PublicKey.FromEd25519(_publicKey);
        PeerId = PeerId.FromPublicKey(PublicKey);
    }

    public PublicKey PublicKey { get; }

    public PeerId PeerId { get; }

    /// <summary>A fresh random identity.</summary>
    public static Ed25519Identity Generate() => new(CryptoEd25519.GenerateSeed());

    /// <summary>An identity from a 32-byte seed; the caller keeps ownership of <paramref name="seed"/>.</summary>
    public static Ed25519Identity FromSeed(ReadOnlySpan<byte> seed)
    {
        Guard.ExactLength(seed.Length, CryptoEd25519.SeedLength, nameof(seed));
        return new Ed25519Identity(SecretBytes.CopyFrom(seed));
    }

    /// <summary>
    /// Reads the libp2p <c>PrivateKey</c> protobuf (peer-ids spec: <c>Type = 1</c> Ed25519, <c>Data = 2</c> the
    /// 64 bytes seed || public key), the format js-libp2p and go-libp2p store keys in. The embedded public key
    /// must match the seed.
    /// </summary>
    /// <exception cref="MalformedInputException">Not an Ed25519 private key protobuf, or the halves disagree.</exception>
    public static Ed25519Identity FromPrivateKeyProtobuf(ReadOnlySpan<byte> encoded)
    {
        var reader = new ProtoReader(encoded);
        ulong? type = null;
        ReadOnlySpan<byte> data = default;
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1)
            {
                ProtoReader.Expect(wire, 0, field);
                type = reader.ReadVarint();
            }
            else if (field == 2)
            {
                ProtoReader.Expect(wire, 2, field);
                data = reader.ReadBytes();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (type != (ulong)KeyType.Ed25519 || data.Length != 64)
        {
            throw new MalformedInputException("not an Ed25519 libp2p private key (type 1 with 64 bytes of data)");
        }

        var identity = FromSeed(data[..32]);
        if (!identity.PublicKey.Data.SequenceEqual(data[32..]))
        {
            identity.Dispose();
            throw new MalformedInputException("the private key's embedded public key does not match its seed");
        }

        return identity;
    }

    /// <summary>Writes the libp2p <c>PrivateKey</c> protobuf (68 bytes) into a new secret the caller disposes.</summary>
    public SecretBytes ExportPrivateKeyProtobuf()
    {
        ObjectDisposedException.ThrowIf(_seed.IsDisposed, this);
        var secret = SecretBytes.Allocate(4 + 64);
        var span = secret.Span;
        span[0] = 0x08;
        span[1] = (byte)KeyType.Ed25519;
        span[2] = 0x12;
        span[3] = 64;
        _seed.ReadOnlySpan.CopyTo(span[4..]);
        _publicKey.CopyTo(span[36..]);
        return secret;
    }

    /// <summary>Signs <paramref name="message"/> (pure Ed25519, RFC 8032).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_seed.IsDisposed, this);
        var sig = new byte[CryptoEd25519.SignatureLength];
        CryptoEd25519.Sign(_seed, _publicKey, message, sig);
        return sig;
    }

    public override string ToString() => $"Ed25519Identity({PeerId})";

    public void Dispose() => _seed.Dispose();
}
