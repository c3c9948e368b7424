// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text.Json;
using System.Text.Json.Nodes;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Interop.Tests.Crypto;

/// <summary>
/// Cross-check with real outside implementations from npm: @noble/curves (Ed25519, X25519) and
/// @noble/post-quantum (ML-KEM-1024). Values made by each side are accepted by the other, and deterministic
/// values (keys from seeds, Ed25519 signatures, X25519 secrets, ML-KEM keys) are byte-identical.
/// </summary>
public sealed class NobleCrossCheckTests
{
    private const int Cases = 6;

    [Fact]
    public void Chhaya_and_noble_agree_in_both_directions()
    {
        var random = new Random(7);
        var request = new JsonObject
        {
            ["randomCount"] = Cases,
            ["ed25519"] = new JsonArray(),
            ["x25519"] = new JsonArray(),
            ["mlkem"] = new JsonArray(),
        };

        var edSeeds = new List<SecretBytes>();
        var edOurs = new List<(byte[] Pk, byte[] Sig)>();
        var xKeys = new List<(SecretBytes Priv, byte[] PeerPub, SecretBytes Shared)>();
        var mlkem = new List<(MlKem1024KeyPair Pair, byte[] Ciphertext, SecretBytes Shared, byte[] Seed)>();
        try
        {
            for (var i = 0; i < Cases; i++)
            {
                var seed = SecretBytes.Random(32);
                edSeeds.Add(seed);
                var msg = new byte[i * 17];
                random.NextBytes(msg);
                var pk = Ed25519.PublicKey(seed);
                var sig = Ed25519.Sign(seed, msg);
                edOurs.Add((pk, sig));
                ((JsonArray)request["ed25519"]!).Add(new JsonObject
                {
                    ["seed"] = Hex(seed.ReadOnlySpan),
                    ["msg"] = Hex(msg),
                    ["publicKey"] = Hex(pk),
                    ["signature"] = Hex(sig),
                    ["sig"] = Hex(sig),
                });

                var priv = X25519.GeneratePrivateKey();
                using var peer = X25519.GeneratePrivateKey();
                var peerPub = X25519.PublicKey(peer);
                xKeys.Add((priv, peerPub, X25519.Agree(priv, peerPub)));
                ((JsonArray)request["x25519"]!).Add(new JsonObject { ["privateKey"] = Hex(priv.ReadOnlySpan), ["peerPublicKey"] = Hex(peerPub) });

                var mlSeed = new byte[64];
                random.NextBytes(mlSeed);
                using var mlSeedSecret = SecretBytes.CopyFrom(mlSeed);
                var pair = MlKem1024.FromSeed(mlSeedSecret);
                var ct = new byte[MlKem1024.CiphertextLength];
                var shared = MlKem1024.Encapsulate(pair.EncapsulationKey, ct);
                mlkem.Add((pair, ct, shared, mlSeed));
                ((JsonArray)request["mlkem"]!).Add(new JsonObject
                {
                    ["seed"] = Hex(mlSeed),
                    ["ciphertext"] = Hex(ct),
                    ["encapsulationKey"] = Hex(pair.EncapsulationKey),
                });
            }

            var output = NodeRunner.Run("interop.mjs", request.ToJsonString(), TimeSpan.FromSeconds(60));
            using var answer = JsonDocument.Parse(output);
            var root = answer.RootElement;

            var ed = root.GetProperty("ed25519").EnumerateArray().ToList();
            Assert.Equal(Cases, ed.Count);
            for (var i = 0; i < Cases; i++)
            {
                Assert.Equal(Hex(edOurs[i].Pk), ed[i].GetProperty("publicKey").GetString());
                Assert.Equal(Hex(edOurs[i].Sig), ed[i].GetProperty("signature").GetString());
                Assert.True(ed[i].GetProperty("verifies").GetBoolean(), "noble rejected a Chhaya Ed25519 signature");
                Assert.False(ed[i].GetProperty("tamperedVerifies").GetBoolean(), "noble accepted a tampered signature");
            }

            var x = root.GetProperty("x25519").EnumerateArray().ToList();
            for (var i = 0; i < Cases; i++)
            {
                Assert.Equal(Hex(X25519.PublicKey(xKeys[i].Priv)), x[i].GetProperty("publicKey").GetString());
                Assert.Equal(Hex(xKeys[i].Shared.ReadOnlySpan), x[i].GetProperty("shared").GetString());
            }

            var ml = root.GetProperty("mlkem").EnumerateArray().ToList();
            for (var i = 0; i < Cases; i++)
            {
                var (pair, _, shared, _) = mlkem[i];
                Assert.Equal(Hex(pair.EncapsulationKey), ml[i].GetProperty("encapsulationKey").GetString());
                Assert.Equal(Hex(pair.DecapsulationKey.ReadOnlySpan), ml[i].GetProperty("decapsulationKey").GetString());
                Assert.Equal(Hex(shared.ReadOnlySpan), ml[i].GetProperty("sharedFromDotnetCiphertext").GetString());
                using var fromNoble = pair.Decapsulate(Bytes(ml[i], "ciphertext"));
                Assert.Equal(ml[i].GetProperty("shared").GetString(), Hex(fromNoble.ReadOnlySpan));
            }

            var nobleEd = root.GetProperty("nobleEd25519").EnumerateArray().ToList();
            Assert.Equal(Cases, nobleEd.Count);
            foreach (var c in nobleEd)
            {
                var sig = Bytes(c, "signature");
                Assert.True(Ed25519.Verify(Bytes(c, "publicKey"), Bytes(c, "msg"), sig), "Chhaya rejected a noble Ed25519 signature");
                sig[63] ^= 0x10;
                Assert.False(Ed25519.Verify(Bytes(c, "publicKey"), Bytes(c, "msg"), sig));
            }

            var nobleMl = root.GetProperty("nobleMlkem").EnumerateArray().ToList();
            Assert.Equal(Cases, nobleMl.Count);
            foreach (var c in nobleMl)
            {
                using var dk = SecretBytes.CopyFrom(Bytes(c, "decapsulationKey"));
                Assert.True(MlKem1024.IsValidDecapsulationKey(dk.ReadOnlySpan));
                using var k = MlKem1024.Decapsulate(dk, Bytes(c, "ciphertext"));
                Assert.Equal(c.GetProperty("shared").GetString(), Hex(k.ReadOnlySpan));
            }
        }
        finally
        {
            edSeeds.ForEach(s => s.Dispose());
            xKeys.ForEach(k =>
            {
                k.Priv.Dispose();
                k.Shared.Dispose();
            });
            mlkem.ForEach(m =>
            {
                m.Pair.Dispose();
                m.Shared.Dispose();
            });
        }
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] Bytes(JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);
}
