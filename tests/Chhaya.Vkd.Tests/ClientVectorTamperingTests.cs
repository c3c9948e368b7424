// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Proofs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Vkd.Tests;

/// <summary>
/// Every byte of AKD's lookup and history proofs, changed, makes verification fail. Bytes outside VRF
/// proofs get every single-bit flip, 0xFF and two random masks; bytes inside VRF proofs (each of which
/// costs a real curve verification) get one flip each.
/// </summary>
public class ClientVectorTamperingTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "whatsapp_v1", "lookup" },
        { "experimental", "lookup" },
        { "whatsapp_v1", "history_most_recent_1" },
        { "experimental", "history_most_recent_1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_changed_byte_is_rejected(string name, string kind) => Check(name, kind);

    internal static void Check(string name, string kind)
    {
        var v = AkdVectors.Client(name);
        var config = AkdVectors.Config(name);
        var vrf = new MemoizingVrfVerifier(EcVrfVerifier.Instance);
        (byte[] Bytes, Action<byte[]> Verify, IEnumerable<ReadOnlyMemory<byte>> VrfProofs) c = kind switch
        {
            "lookup" => (v.LookupProof,
                b => VkdVerifier.VerifyLookup(config, vrf, v.VrfPublicKey, v.RootHash, v.Epoch, v.Label, AkdProofCodec.DecodeLookupProof(b)),
                LookupVrfProofs(AkdProofCodec.DecodeLookupProof(v.LookupProof))),
            "history_most_recent_1" => (v.HistoryMostRecent1,
                b => VkdVerifier.VerifyHistory(config, vrf, v.VrfPublicKey, v.RootHash, v.Epoch, v.Label, AkdProofCodec.DecodeHistoryProof(b), HistoryParams.MostRecent(1)),
                HistoryVrfProofs(AkdProofCodec.DecodeHistoryProof(v.HistoryMostRecent1))),
            _ => (v.HistoryComplete,
                b => VkdVerifier.VerifyHistory(config, vrf, v.VrfPublicKey, v.RootHash, v.Epoch, v.Label, AkdProofCodec.DecodeHistoryProof(b), HistoryParams.Complete),
                HistoryVrfProofs(AkdProofCodec.DecodeHistoryProof(v.HistoryComplete))),
        };

        c.Verify(c.Bytes);
        var inVrf = new bool[c.Bytes.Length];
        foreach (var proof in c.VrfProofs)
        {
            var at = c.Bytes.AsSpan().IndexOf(proof.Span);
            Assert.True(at >= 0);
            inVrf.AsSpan(at, proof.Length).Fill(true);
        }

        var random = new Random(5);
        var accepted = new List<string>();
        for (var i = 0; i < c.Bytes.Length; i++)
        {
            var masks = inVrf[i]
                ? [(byte)(1 << (i % 8))]
                : new byte[] { 1, 2, 4, 8, 16, 32, 64, 128, 0xFF, (byte)random.Next(1, 256), (byte)random.Next(1, 256) };
            foreach (var mask in masks)
            {
                var tampered = (byte[])c.Bytes.Clone();
                tampered[i] ^= mask;
                if (Accepts(() => c.Verify(tampered)))
                {
                    accepted.Add($"byte {i} ^ {mask:x2}");
                }
            }
        }

        Assert.Empty(accepted);
        Assert.True(vrf.RealCalls >= inVrf.Count(x => x));
    }

    private static IEnumerable<ReadOnlyMemory<byte>> LookupVrfProofs(LookupProof p) => [p.ExistenceVrfProof, p.MarkerVrfProof, p.FreshnessVrfProof];

    private static IEnumerable<ReadOnlyMemory<byte>> HistoryVrfProofs(HistoryProof p) =>
        p.UpdateProofs.SelectMany(u => u.PreviousVersionVrfProof is { } prev ? new[] { u.ExistenceVrfProof, prev } : [u.ExistenceVrfProof])
            .Concat(p.PastMarkerVrfProofs).Concat(p.FutureMarkerVrfProofs);

    private static bool Accepts(Action action)
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

/// <summary>The complete-history vectors, in their own class so xunit runs them beside the others.</summary>
public class ClientVectorCompleteHistoryTamperingTests
{
    [Theory]
    [InlineData("whatsapp_v1")]
    [InlineData("experimental")]
    public void Every_changed_byte_is_rejected(string name) => ClientVectorTamperingTests.Check(name, "history_complete");
}
