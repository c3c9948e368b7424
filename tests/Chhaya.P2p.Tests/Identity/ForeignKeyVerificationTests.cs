// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text.Json;
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Identity;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace Chhaya.P2p.Tests.Identity;

/// <summary>Chhaya only signs with Ed25519, but verifies the other libp2p key types (spec key vectors).</summary>
public class ForeignKeyVerificationTests
{
    private static readonly byte[] Message = "libp2p signed message"u8.ToArray();

    private static (PublicKey Public, byte[] PrivateData) Load(string keyType)
    {
        var v = JsonDocument.Parse(File.ReadAllText(TestPaths.Vector("peer_id_and_tls_vectors.json"))).RootElement
            .GetProperty("key_vectors").GetProperty("vectors").EnumerateArray()
            .Single(e => e.GetProperty("key_type").GetString() == keyType);
        var priv = Convert.FromHexString(v.GetProperty("private_key_protobuf").GetString()!);
        var reader = new ProtoReader(priv);
        byte[] data = [];
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 2)
            {
                data = reader.ReadBytes().ToArray();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (PublicKey.Decode(Convert.FromHexString(v.GetProperty("public_key_protobuf").GetString()!)), data);
    }

    [Fact]
    public void Ecdsa_p256_signatures_verify()
    {
        var (pub, priv) = Load("ECDSA");
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportECPrivateKey(priv, out _);
        var sig = ecdsa.SignData(Message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.Equal(KeyType.Ecdsa, pub.Type);
        Assert.True(pub.Verify(Message, sig));
        Assert.False(pub.Verify("other"u8, sig));
        Assert.False(pub.Verify(Message, sig.AsSpan(0, sig.Length - 1)));
    }

    [Fact]
    public void Rsa_signatures_verify()
    {
        var (pub, priv) = Load("RSA");
        using var rsa = RSA.Create();
        rsa.ImportRSAPrivateKey(priv, out _);
        var sig = rsa.SignData(Message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.Equal(KeyType.Rsa, pub.Type);
        Assert.True(pub.Verify(Message, sig));
        sig[10] ^= 1;
        Assert.False(pub.Verify(Message, sig));
    }

    [Fact]
    public void Secp256k1_signatures_verify()
    {
        var (pub, priv) = Load("Secp256k1");
        var curve = SecNamedCurves.GetByName("secp256k1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var signer = new DsaDigestSigner(new ECDsaSigner(), new Sha256Digest());
        signer.Init(true, new ECPrivateKeyParameters(new BigInteger(1, priv), domain));
        signer.BlockUpdate(Message, 0, Message.Length);
        var sig = signer.GenerateSignature();
        Assert.Equal(KeyType.Secp256k1, pub.Type);
        Assert.True(pub.Verify(Message, sig));
        Assert.False(pub.Verify("other"u8, sig));
        Assert.False(pub.Verify(Message, [0x30, 0x02, 0x01]));
    }
}
