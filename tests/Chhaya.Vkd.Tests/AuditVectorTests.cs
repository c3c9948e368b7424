// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Tests;

/// <summary>The two derived epoch 8 -> 9 audit proofs (one per configuration) from Vectors/akd/derived.</summary>
public class AuditVectorTests
{
    public static TheoryData<string> Configs => new() { "whatsapp_v1", "experimental" };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Derived_audit_proof_verifies_and_round_trips(string name)
    {
        var v = AkdVectors.Audit(name);
        var bytes = AkdVectors.AuditProofBytes(name);
        Assert.Equal(v.GetProperty("proof_protobuf_hex").GetString(), Convert.ToHexStringLower(bytes));
        var proof = AkdProofCodec.DecodeSingleAppendOnlyProof(bytes);
        Assert.Equal(bytes, AkdProofCodec.Encode(proof));

        var start = Digest.FromHex(v.GetProperty("start_hash").GetString()!);
        var end = Digest.FromHex(v.GetProperty("end_hash").GetString()!);
        Assert.Equal(9UL, v.GetProperty("end_epoch").GetUInt64());
        var config = AkdVectors.Config(name);
        AppendOnlyVerifier.VerifyStep(config, proof, start, end, 9);
        AppendOnlyVerifier.Verify(config, [start, end], new AppendOnlyProof([proof], [8]));
        StreamingAuditVerifier.Verify(config, new MemoryStream(bytes), start, end, 9);

        Assert.Equal(v.GetProperty("proof").GetProperty("inserted").GetArrayLength(), proof.Inserted.Count);
        Assert.Equal(v.GetProperty("proof").GetProperty("unchanged_nodes").GetArrayLength(), proof.UnchangedNodes.Count);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Derived_negative_cases_are_rejected(string name)
    {
        var v = AkdVectors.Audit(name);
        var config = AkdVectors.Config(name);
        var proof = AkdProofCodec.DecodeSingleAppendOnlyProof(AkdVectors.AuditProofBytes(name));
        var start = Digest.FromHex(v.GetProperty("start_hash").GetString()!);
        var end = Digest.FromHex(v.GetProperty("end_hash").GetString()!);
        Assert.Equal(4, v.GetProperty("negative_cases").GetArrayLength());

        // end_epoch = 10 (blob epoch off by one)
        Assert.Equal(VkdCheck.AuditEndRootMismatch, Reject(() => AppendOnlyVerifier.VerifyStep(config, proof, start, end, 10)));

        // inserted = [] (insertion hidden)
        Assert.Equal(VkdCheck.AuditEndRootMismatch, Reject(() => AppendOnlyVerifier.VerifyStep(config, proof with { Inserted = [] }, start, end, 9)));

        // unchanged_nodes without its first element
        Assert.Equal(VkdCheck.AuditStartRootMismatch, Reject(() => AppendOnlyVerifier.VerifyStep(config, proof with { UnchangedNodes = proof.UnchangedNodes.Skip(1).ToList() }, start, end, 9)));

        // start_hash and end_hash swapped
        Assert.Equal(VkdCheck.AuditStartRootMismatch, Reject(() => AppendOnlyVerifier.VerifyStep(config, proof, end, start, 9)));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Every_one_byte_change_of_the_audit_proof_is_rejected(string name)
    {
        var v = AkdVectors.Audit(name);
        var config = AkdVectors.Config(name);
        var bytes = AkdVectors.AuditProofBytes(name);
        var start = Digest.FromHex(v.GetProperty("start_hash").GetString()!);
        var end = Digest.FromHex(v.GetProperty("end_hash").GetString()!);
        var accepted = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            for (var x = 1; x < 256; x++)
            {
                var tampered = (byte[])bytes.Clone();
                tampered[i] ^= (byte)x;
                if (Accepts(() => AppendOnlyVerifier.VerifyStep(config, AkdProofCodec.DecodeSingleAppendOnlyProof(tampered), start, end, 9)))
                {
                    accepted++;
                }
            }
        }

        Assert.Equal(0, accepted);

        // Truncations and a changed root are rejected too.
        for (var len = 0; len < bytes.Length; len++)
        {
            var cut = bytes[..len];
            Assert.False(Accepts(() => AppendOnlyVerifier.VerifyStep(config, AkdProofCodec.DecodeSingleAppendOnlyProof(cut), start, end, 9)));
        }

        for (var i = 0; i < Digest.Length; i++)
        {
            var s = start.ToArray();
            s[i] ^= 1;
            Assert.False(Accepts(() => AppendOnlyVerifier.VerifyStep(config, AkdProofCodec.DecodeSingleAppendOnlyProof(bytes), new Digest(s), end, 9)));
            var e = end.ToArray();
            e[i] ^= 0x80;
            Assert.False(Accepts(() => AppendOnlyVerifier.VerifyStep(config, AkdProofCodec.DecodeSingleAppendOnlyProof(bytes), start, new Digest(e), 9)));
        }
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Streaming_verifier_rejects_every_one_byte_change(string name)
    {
        var v = AkdVectors.Audit(name);
        var config = AkdVectors.Config(name);
        var bytes = AkdVectors.AuditProofBytes(name);
        var start = Digest.FromHex(v.GetProperty("start_hash").GetString()!);
        var end = Digest.FromHex(v.GetProperty("end_hash").GetString()!);
        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var x in new byte[] { 0x01, 0x02, 0x10, 0x80, 0xFF })
            {
                var tampered = (byte[])bytes.Clone();
                tampered[i] ^= x;
                Assert.False(Accepts(() => StreamingAuditVerifier.Verify(config, new MemoryStream(tampered), start, end, 9)), $"byte {i} ^ {x:x2}");
            }
        }
    }

    internal static VkdCheck Reject(Action action) => Assert.Throws<VkdVerificationException>(action).Check;

    internal static bool Accepts(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (MalformedInputException)
        {
            return false;
        }
        catch (VkdVerificationException)
        {
            return false;
        }
    }
}
