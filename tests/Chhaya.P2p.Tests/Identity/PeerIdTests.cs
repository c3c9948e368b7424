// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;
using Chhaya.P2p.Identity;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.P2p.Tests.Identity;

public class PeerIdTests
{
    private static JsonElement Vectors() =>
        JsonDocument.Parse(File.ReadAllText(TestPaths.Vector("peer_id_and_tls_vectors.json"))).RootElement;

    public static TheoryData<string> KeyTypes() => ["Ed25519", "Secp256k1", "ECDSA", "RSA"];

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Spec_key_vectors_give_the_expected_peer_ids(string keyType)
    {
        var v = Vectors().GetProperty("key_vectors").GetProperty("vectors").EnumerateArray()
            .Single(e => e.GetProperty("key_type").GetString() == keyType);
        var encoded = Convert.FromHexString(v.GetProperty("public_key_protobuf").GetString()!);
        var key = PublicKey.Decode(encoded);
        Assert.Equal(encoded, key.Encoded.ToArray());
        var id = PeerId.FromPublicKey(key);
        Assert.Equal(v.GetProperty("derived_peer_id_multihash").GetString(), Convert.ToHexStringLower(id.Bytes));
        Assert.Equal(v.GetProperty("derived_peer_id_base58").GetString(), id.ToString());
        Assert.Equal(v.GetProperty("derived_peer_id_cidv1_base32").GetString(), id.ToCidString());
        Assert.Equal(id, PeerId.Parse(id.ToString()));
        Assert.Equal(id, PeerId.Parse(id.ToCidString()));
        Assert.True(id.Matches(key));
    }

    [Fact]
    public void Spec_decoding_examples_parse_to_their_multihash()
    {
        foreach (var e in Vectors().GetProperty("peer_id_string_examples").GetProperty("examples").EnumerateArray())
        {
            var text = e.GetProperty("string").GetString()!;
            var id = PeerId.Parse(text);
            Assert.Equal(e.GetProperty("multihash_hex").GetString(), Convert.ToHexStringLower(id.Bytes));
        }
    }

    [Fact]
    public void Rust_implementation_vector_matches()
    {
        var v = Vectors().GetProperty("implementation_vectors")[0];
        Assert.Equal(v.GetProperty("expected_peer_id").GetString(), Ed25519PeerFromImplementationVector(v).ToString());
    }

    [Fact]
    public void Zero_seed_gives_the_known_js_peer_id()
    {
        using var identity = Ed25519Identity.FromSeed(new byte[32]);
        Assert.Equal("12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN", identity.PeerId.ToString());
        Assert.Equal("080112203b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29", Convert.ToHexStringLower(identity.PublicKey.Encoded));
    }

    [Fact]
    public void Ed25519_private_key_protobuf_from_the_spec_loads_and_round_trips()
    {
        var v = Vectors().GetProperty("key_vectors").GetProperty("vectors").EnumerateArray()
            .Single(e => e.GetProperty("key_type").GetString() == "Ed25519");
        var encoded = Convert.FromHexString(v.GetProperty("private_key_protobuf").GetString()!);
        using var identity = Ed25519Identity.FromPrivateKeyProtobuf(encoded);
        Assert.Equal(v.GetProperty("derived_peer_id_base58").GetString(), identity.PeerId.ToString());
        using var exported = identity.ExportPrivateKeyProtobuf();
        Assert.Equal(encoded, exported.ReadOnlySpan.ToArray());

        // A private key whose public half belongs to another seed is refused.
        encoded[^1] ^= 1;
        Assert.Throws<MalformedInputException>(() => Ed25519Identity.FromPrivateKeyProtobuf(encoded));
        Assert.Throws<MalformedInputException>(() => Ed25519Identity.FromPrivateKeyProtobuf(Convert.FromHexString("0802122053dadf1d5a164d6b4acdb15e24aa4c5b1d3461bdbd42abedb0a4404d56ced8fb")));
    }

    [Fact]
    public void Ed25519_signatures_verify_and_tampering_fails()
    {
        using var identity = Ed25519Identity.Generate();
        var sig = identity.Sign("hello"u8);
        Assert.True(identity.PublicKey.Verify("hello"u8, sig));
        Assert.False(identity.PublicKey.Verify("hellp"u8, sig));
        sig[0] ^= 1;
        Assert.False(identity.PublicKey.Verify("hello"u8, sig));
        Assert.False(identity.PublicKey.Verify("hello"u8, sig.AsSpan(0, 10)));
    }

    [Fact]
    public void Identity_peer_id_gives_back_its_key()
    {
        using var identity = Ed25519Identity.Generate();
        Assert.Equal(identity.PublicKey, identity.PeerId.TryGetPublicKey());
    }

    [Theory]
    [InlineData("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")] // CID with dag-pb codec, not libp2p-key
    [InlineData("QmQmQm")]
    [InlineData("12D3Koo")]
    [InlineData("")]
    [InlineData("z111")]
    public void Rejects_bad_peer_id_text(string text) => Assert.Throws<MalformedInputException>(() => PeerId.Parse(text));

    [Theory]
    [InlineData("0801")] // no data
    [InlineData("1220" + "00")] // no type, truncated data
    [InlineData("0801120400000000")] // Ed25519 of 4 bytes
    [InlineData("08091220" + "0000000000000000000000000000000000000000000000000000000000000000")] // unknown type
    [InlineData("0802122102" + "0000000000000000000000000000000000000000000000000000000000000000")] // secp256k1 not on curve? x=0
    public void Rejects_bad_public_keys(string hex) =>
        Assert.Throws<MalformedInputException>(() => PublicKey.Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Public_key_decoder_never_throws_anything_else() =>
        Gen.Byte.Array[0, 80].Sample(bytes =>
        {
            try
            {
                PublicKey.Decode(bytes);
            }
            catch (MalformedInputException)
            {
            }
        });

    private static PeerId Ed25519PeerFromImplementationVector(JsonElement v)
    {
        // The vector is a base64 protobuf PrivateKey { Type = Ed25519, Data = seed || public }.
        var b64 = v.GetProperty("keypair_protobuf_base64").GetString()!;
        var priv = Convert.FromBase64String(b64);
        Assert.Equal(0x08, priv[0]);
        var seed = priv.AsSpan(4, 32);
        using var identity = Ed25519Identity.FromSeed(seed);
        Assert.Equal(priv.AsSpan(36, 32).ToArray(), identity.PublicKey.Data.ToArray());
        return identity.PeerId;
    }
}
