// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Chhaya.Bls;

namespace Chhaya.Interop.Tests.Bls;

/// <summary>
/// Chhaya.Bls against @noble/curves and native blst (@chainsafe/blst): what one side makes, the others
/// verify, byte for byte where the scheme is deterministic; tampered values fail everywhere.
/// </summary>
public class BlsInteropTests
{
    private const int Count = 4;

    [Fact]
    public void Chhaya_keys_and_signatures_match_and_verify_in_noble_and_blst()
    {
        var ikms = Enumerable.Range(0, Count).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        var keys = ikms.Select(ikm => BlsSecretKey.KeyGen(ikm)).ToArray();
        var messages = Enumerable.Range(0, Count).Select(i => RandomNumberGenerator.GetBytes(10 + i)).ToArray();
        var signatures = keys.Select((k, i) => k.Sign(messages[i])).ToArray();
        var common = RandomNumberGenerator.GetBytes(32);
        var commonSigs = keys.Select(k => k.Sign(common)).ToList();
        var fastAggregate = BlsSignatures.Aggregate(commonSigs);
        var aggregate = BlsSignatures.Aggregate(signatures);
        var tampered = Tamper(signatures[0]);

        var single = new JsonArray();
        for (var i = 0; i < Count; i++)
        {
            single.Add(Item(keys[i], messages[i], signatures[i], withSecret: true));
        }

        // Tampered: a signature on another message, and a flipped message.
        single.Add(Item(keys[0], messages[0], tampered, withSecret: false));
        single.Add(Item(keys[0], [.. messages[0], 1], signatures[0], withSecret: false));

        var pks = new JsonArray(keys.Select(k => (JsonNode)Hex(k.PublicKey.Bytes)).ToArray());
        var request = new JsonObject
        {
            ["op"] = "check",
            ["keygen"] = new JsonArray(ikms.Select(ikm => (JsonNode)new JsonObject { ["ikm"] = Hex(ikm) }).ToArray()),
            ["single"] = single,
            ["pop"] = new JsonArray(
                new JsonObject { ["pk"] = Hex(keys[0].PublicKey.Bytes), ["pop"] = Hex(keys[0].ProvePossession().Bytes) },
                new JsonObject { ["pk"] = Hex(keys[1].PublicKey.Bytes), ["pop"] = Hex(keys[0].ProvePossession().Bytes) }),
            ["fast"] = new JsonArray(
                new JsonObject { ["pks"] = pks.DeepClone(), ["msg"] = Hex(common), ["sig"] = Hex(fastAggregate.Bytes) },
                new JsonObject { ["pks"] = pks.DeepClone(), ["msg"] = Hex(messages[0]), ["sig"] = Hex(fastAggregate.Bytes) }),
            ["aggregateVerify"] = new JsonArray(
                new JsonObject { ["pks"] = pks.DeepClone(), ["msgs"] = Hexes(messages), ["sig"] = Hex(aggregate.Bytes) },
                new JsonObject { ["pks"] = pks.DeepClone(), ["msgs"] = Hexes(messages.Reverse()), ["sig"] = Hex(aggregate.Bytes) }),
            ["aggregate"] = new JsonArray(new JsonObject { ["sigs"] = Hexes(signatures.Select(s => s.Bytes.ToArray())) }),
        };

        var answer = BlsOracle.Run(request);

        for (var i = 0; i < Count; i++)
        {
            var k = answer["keygen"]![i]!;
            var sk = new byte[32];
            keys[i].ExportTo(sk);
            Assert.Equal(Hex(sk), (string?)k["sk"]);
            Assert.Equal(Hex(keys[i].PublicKey.Bytes), (string?)k["pk"]);
            Assert.Equal(Hex(keys[i].PublicKey.Bytes), (string?)k["noblePk"]);

            var s = answer["single"]![i]!;
            Assert.True((bool)s["noble"]!, $"noble rejected Chhaya signature {i}");
            Assert.True((bool)s["blst"]!, $"blst rejected Chhaya signature {i}");
            Assert.Equal(Hex(signatures[i].Bytes), (string?)s["nobleSig"]);
            Assert.Equal(Hex(signatures[i].Bytes), (string?)s["blstSig"]);
        }

        for (var i = Count; i < Count + 2; i++)
        {
            Assert.False((bool)answer["single"]![i]!["noble"]!);
            Assert.False((bool)answer["single"]![i]!["blst"]!);
            Assert.False(BlsSignatures.Verify(keys[0].PublicKey, i == Count ? messages[0] : [.. messages[0], 1], i == Count ? tampered : signatures[0]));
        }

        Assert.True((bool)answer["pop"]![0]!["noble"]!);
        Assert.False((bool)answer["pop"]![1]!["noble"]!);
        Assert.True((bool)answer["fast"]![0]!["noble"]!);
        Assert.True((bool)answer["fast"]![0]!["blst"]!);
        Assert.False((bool)answer["fast"]![1]!["noble"]!);
        Assert.False((bool)answer["fast"]![1]!["blst"]!);
        Assert.True((bool)answer["aggregateVerify"]![0]!["noble"]!);
        Assert.True((bool)answer["aggregateVerify"]![0]!["blst"]!);
        Assert.False((bool)answer["aggregateVerify"]![1]!["noble"]!);
        Assert.False((bool)answer["aggregateVerify"]![1]!["blst"]!);
        Assert.Equal(Hex(aggregate.Bytes), (string?)answer["aggregate"]![0]!["noble"]);
        Assert.Equal(Hex(aggregate.Bytes), (string?)answer["aggregate"]![0]!["blst"]);

        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    [Fact]
    public void Noble_and_blst_signatures_verify_in_Chhaya()
    {
        var messages = Enumerable.Range(0, Count).Select(i => RandomNumberGenerator.GetBytes(5 + i)).ToArray();
        var common = RandomNumberGenerator.GetBytes(32);
        var answer = BlsOracle.Run(new JsonObject
        {
            ["op"] = "make",
            ["count"] = Count,
            ["messages"] = Hexes(messages),
            ["common"] = Hex(common),
        });

        var noblePks = new List<BlsPublicKey>();
        foreach (var side in new[] { "noble", "blst" })
        {
            for (var i = 0; i < Count; i++)
            {
                var item = answer[side]![i]!;
                var pk = BlsPublicKey.Decode(Convert.FromHexString((string)item["pk"]!));
                var sig = BlsSignature.Decode(Convert.FromHexString((string)item["sig"]!));
                Assert.True(BlsSignatures.Verify(pk, messages[i], sig), $"{side} signature {i}");
                Assert.False(BlsSignatures.Verify(pk, messages[(i + 1) % Count], sig));
                Assert.False(BlsSignatures.Verify(pk, messages[i], Tamper(sig)));
                if (side == "noble")
                {
                    noblePks.Add(pk);
                    var pop = BlsSignature.Decode(Convert.FromHexString((string)item["pop"]!));
                    Assert.True(BlsSignatures.PopVerify(pk, pop), $"noble proof of possession {i}");
                    Assert.False(BlsSignatures.PopVerify(pk, sig));
                }
            }
        }

        var commonPks = answer["commonPks"]!.AsArray().Select(p => BlsPublicKey.Decode(Convert.FromHexString((string)p!))).ToList();
        var commonAggregate = BlsSignature.Decode(Convert.FromHexString((string)answer["commonAggregate"]!));
        Assert.True(BlsSignatures.FastAggregateVerify(commonPks, common, commonAggregate));
        Assert.False(BlsSignatures.FastAggregateVerify(commonPks.Skip(1).ToList(), common, commonAggregate));

        var nobleAggregate = BlsSignature.Decode(Convert.FromHexString((string)answer["nobleAggregate"]!));
        Assert.True(BlsSignatures.AggregateVerify(noblePks, messages, nobleAggregate));
        Assert.False(BlsSignatures.AggregateVerify(noblePks, messages.Reverse().ToList(), nobleAggregate));
    }

    private static JsonObject Item(BlsSecretKey key, byte[] message, BlsSignature signature, bool withSecret)
    {
        var o = new JsonObject { ["pk"] = Hex(key.PublicKey.Bytes), ["msg"] = Hex(message), ["sig"] = Hex(signature.Bytes) };
        if (withSecret)
        {
            var sk = new byte[32];
            key.ExportTo(sk);
            o["sk"] = Hex(sk);
        }

        return o;
    }

    /// <summary>A different valid signature: the same key's signature on another message.</summary>
    private static BlsSignature Tamper(BlsSignature signature) =>
        BlsSignatures.Aggregate([signature, signature]);

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static JsonArray Hexes(IEnumerable<byte[]> items) => new(items.Select(b => (JsonNode)Hex(b)).ToArray());
}
