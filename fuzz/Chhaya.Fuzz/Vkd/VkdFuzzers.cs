// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Audit;
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Epochs;
using Chhaya.Vkd.Verification;
using Chhaya.Vkd.Wire;

namespace Chhaya.Fuzz.Vkd;

// One target per proof decoder. Each may reject input with MalformedInputException (or, where it goes on
// to verify, VkdVerificationException); anything else is a finding. Accepted inputs must re-encode to
// the same bytes, since the decoders promise a canonical encoding.

/// <summary>AKD <c>LookupProof</c> decoder.</summary>
public sealed class VkdLookupProofFuzzer : IFuzzer
{
    public string Name => "vkd-lookup-proof";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            var proof = AkdProofCodec.DecodeLookupProof(input);
            VkdFuzzChecks.SameBytes(input, AkdProofCodec.Encode(proof));
        }
        catch (MalformedInputException)
        {
        }
    }
}

/// <summary>AKD <c>HistoryProof</c> decoder.</summary>
public sealed class VkdHistoryProofFuzzer : IFuzzer
{
    public string Name => "vkd-history-proof";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            var proof = AkdProofCodec.DecodeHistoryProof(input);
            VkdFuzzChecks.SameBytes(input, AkdProofCodec.Encode(proof));
        }
        catch (MalformedInputException)
        {
        }
    }
}

/// <summary>AKD <c>AppendOnlyProof</c> decoder.</summary>
public sealed class VkdAppendOnlyProofFuzzer : IFuzzer
{
    public string Name => "vkd-append-only-proof";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            var proof = AkdProofCodec.DecodeAppendOnlyProof(input);
            VkdFuzzChecks.SameBytes(input, AkdProofCodec.Encode(proof));
        }
        catch (MalformedInputException)
        {
        }
    }
}

/// <summary>
/// AKD <c>SingleAppendOnlyProof</c> (an audit blob): the in-memory decoder and verifier, and the
/// streaming verifier, which must reach the same verdict on the same roots.
/// </summary>
public sealed class VkdAuditBlobFuzzer : IFuzzer
{
    public string Name => "vkd-audit-blob";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        var config = WhatsAppV1Configuration.Instance;
        var bytes = input.ToArray();
        var inMemory = Outcome(() =>
        {
            var proof = AkdProofCodec.DecodeSingleAppendOnlyProof(bytes);
            VkdFuzzChecks.SameBytes(bytes, AkdProofCodec.Encode(proof));
            AppendOnlyVerifier.VerifyStep(config, proof, default, default, 1);
        });
        var streamed = Outcome(() => StreamingAuditVerifier.Verify(config, new MemoryStream(bytes), default, default, 1));
        if (inMemory != streamed)
        {
            throw new InvalidOperationException($"In-memory verdict {inMemory} differs from streamed verdict {streamed}.");
        }
    }

    private static string Outcome(Action action)
    {
        try
        {
            action();
            return "accepted";
        }
        catch (MalformedInputException)
        {
            return "malformed";
        }
        catch (VkdVerificationException)
        {
            return "rejected";
        }
    }
}

/// <summary>Signed epoch head decoder.</summary>
public sealed class VkdSignedHeadFuzzer : IFuzzer
{
    public string Name => "vkd-signed-head";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            var head = SignedEpochHead.Decode(input);
            VkdFuzzChecks.SameBytes(input, head.Encode());
            _ = head.VerifySignature(new byte[32]);
        }
        catch (MalformedInputException)
        {
        }
    }
}

internal static class VkdFuzzChecks
{
    public static void SameBytes(ReadOnlySpan<byte> input, ReadOnlySpan<byte> reencoded)
    {
        if (!input.SequenceEqual(reencoded))
        {
            throw new InvalidOperationException("An accepted encoding did not re-encode to the same bytes.");
        }
    }
}
