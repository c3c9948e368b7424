// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using Chhaya.P2p.Encoding;
using Chhaya.Safety;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Chhaya.P2p.Identity;

/// <summary>
/// A libp2p public key: the <c>PublicKey</c> protobuf of the peer-ids spec (<c>Type = 1</c> varint, <c>Data = 2</c>
/// bytes, both required). Chhaya signs with Ed25519 only; secp256k1, ECDSA and RSA keys are accepted so their
/// signatures can be verified and their peer ids computed, as the spec requires of every implementation.
/// </summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    /// <summary>Largest encoded key accepted (RSA-8192 SPKI is about 1.1 KiB).</summary>
    public const int MaxEncodedLength = 2048;

    private readonly byte[] _data;
    private readonly byte[] _encoded;

    private PublicKey(KeyType type, byte[] data)
    {
        Type = type;
        _data = data;
        var w = new ProtoWriter();
        w.WriteVarintField(1, (ulong)type);
        w.WriteBytesField(2, data);
        _encoded = w.ToArray();
    }

    public KeyType Type { get; }

    /// <summary>The key bytes (Ed25519: 32 bytes; secp256k1: 33-byte compressed point; ECDSA/RSA: SPKI DER).</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The deterministic protobuf encoding (field 1 then field 2), as signatures and peer ids use it.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>An Ed25519 public key from its 32 bytes.</summary>
    public static PublicKey FromEd25519(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new MalformedInputException($"Ed25519 public key must be 32 bytes, not {key.Length}");
        }

        return new PublicKey(KeyType.Ed25519, key.ToArray());
    }

    /// <summary>Parses the <c>PublicKey</c> protobuf and checks the key data for its type.</summary>
    /// <exception cref="MalformedInputException">Bad protobuf, missing fields, an unknown type, or bad key data.</exception>
    public static PublicKey Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new MalformedInputException($"public key is longer than {MaxEncodedLength} bytes");
        }

        var reader = new ProtoReader(encoded);
        ulong? type = null;
        ReadOnlySpan<byte> data = default;
        var hasData = false;
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    type = reader.ReadVarint();
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    data = reader.ReadBytes();
                    hasData = true;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (type is null || !hasData)
        {
            throw new MalformedInputException("public key protobuf lacks its Type or Data field");
        }

        if (type > 3)
        {
            throw new MalformedInputException($"public key type {type} is unknown");
        }

        var keyType = (KeyType)type.Value;
        Validate(keyType, data);
        return new PublicKey(keyType, data.ToArray());
    }

    /// <summary>Checks a signature made by this key over <paramref name="message"/>, following each key type's rules in the spec.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        try
        {
            return Type switch
            {
                KeyType.Ed25519 => Chhaya.Crypto.Ed25519.Verify(_data, message, signature),
                KeyType.Secp256k1 => VerifySecp256k1(message, signature),
                KeyType.Ecdsa => VerifyEcdsa(message, signature),
                KeyType.Rsa => VerifyRsa(message, signature),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            // BouncyCastle reports malformed DER signatures this way.
            return false;
        }
    }

    public bool Equals(PublicKey? other) => other is not null && _encoded.AsSpan().SequenceEqual(other._encoded);

    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(_encoded);
        return h.ToHashCode();
    }

    public override string ToString() => $"{Type} public key";

    private static void Validate(KeyType type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case KeyType.Ed25519:
                if (data.Length != 32)
                {
                    throw new MalformedInputException($"Ed25519 public key must be 32 bytes, not {data.Length}");
                }

                break;
            case KeyType.Secp256k1:
                if (data.Length != 33 || (data[0] != 2 && data[0] != 3))
                {
                    throw new MalformedInputException("secp256k1 public key must be a 33-byte compressed point");
                }

                try
                {
                    _ = SecNamedCurves.GetByName("secp256k1").Curve.DecodePoint(data.ToArray());
                }
                catch (ArgumentException e)
                {
                    throw new MalformedInputException("secp256k1 public key is not on the curve", e);
                }

                break;
            case KeyType.Ecdsa:
                try
                {
                    using var ecdsa = ECDsa.Create();
                    ecdsa.ImportSubjectPublicKeyInfo(data, out var read);
                    if (read != data.Length)
                    {
                        throw new MalformedInputException("ECDSA public key has trailing bytes");
                    }
                }
                catch (CryptographicException e)
                {
                    throw new MalformedInputException("ECDSA public key is not a valid SubjectPublicKeyInfo", e);
                }

                break;
            case KeyType.Rsa:
                try
                {
                    using var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(data, out var read);
                    if (read != data.Length)
                    {
                        throw new MalformedInputException("RSA public key has trailing bytes");
                    }

                    if (rsa.KeySize < 2048)
                    {
                        // The spec sets 2048 bits as the minimum RSA key size.
                        throw new MalformedInputException($"RSA key of {rsa.KeySize} bits is below the 2048-bit minimum");
                    }
                }
                catch (CryptographicException e)
                {
                    throw new MalformedInputException("RSA public key is not a valid SubjectPublicKeyInfo", e);
                }

                break;
            default:
                throw new MalformedInputException("unknown key type");
        }
    }

    private bool VerifySecp256k1(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        // Spec: ECDSA over SHA-256 of the message, DER-encoded signature.
        var curve = SecNamedCurves.GetByName("secp256k1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var point = curve.Curve.DecodePoint(_data);
        var signer = new DsaDigestSigner(new ECDsaSigner(), new Org.BouncyCastle.Crypto.Digests.Sha256Digest());
        signer.Init(false, new ECPublicKeyParameters(point, domain));
        var m = message.ToArray();
        signer.BlockUpdate(m, 0, m.Length);
        return signer.VerifySignature(signature.ToArray());
    }

    private bool VerifyEcdsa(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_data, out _);
        return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private bool VerifyRsa(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(_data, out _);
        return rsa.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
