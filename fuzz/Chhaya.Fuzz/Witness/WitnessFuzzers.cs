// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Witness.Evidence;
using Chhaya.Witness.Protocol;
using Chhaya.Witness.Storage;

namespace Chhaya.Fuzz.Witness;

// Decoders of the witness: each may refuse input with MalformedInputException only.
// Accepted inputs must re-encode to the same bytes, and evidence verification must never throw.

/// <summary>Evidence bundles (from gossip, the API, or a file given to <c>chhaya evidence verify</c>).</summary>
public sealed class EvidenceBundleFuzzer : IFuzzer
{
    public string Name => "witness-evidence";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        EvidenceBundle bundle;
        try
        {
            bundle = EvidenceBundle.Decode(input);
        }
        catch (MalformedInputException)
        {
            return;
        }

        SameBytes(input, bundle.Encode());
        _ = bundle.Verify();
    }

    internal static void SameBytes(ReadOnlySpan<byte> input, byte[] encoded)
    {
        if (!input.SequenceEqual(encoded))
        {
            throw new InvalidOperationException("An accepted input did not re-encode to the same bytes.");
        }
    }
}

/// <summary>Requests on <c>/chhaya/vkd/audit/1.0.0</c>.</summary>
public sealed class DirectoryRequestFuzzer : IFuzzer
{
    public string Name => "witness-directory-request";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        try
        {
            EvidenceBundleFuzzer.SameBytes(input, DirectoryProtocol.EncodeRequest(DirectoryProtocol.DecodeRequest(input)));
        }
        catch (MalformedInputException)
        {
        }
    }
}

/// <summary>Tree node rows read back from the database (a label, then the node state).</summary>
public sealed class StoredNodeFuzzer : IFuzzer
{
    public string Name => "witness-stored-node";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        if (input.Length < NodeLabel.SerializedLength)
        {
            return;
        }

        try
        {
            var label = StoredNodeCodec.DecodeLabel(input[..NodeLabel.SerializedLength]);
            var node = StoredNodeCodec.DecodeState(label, input[NodeLabel.SerializedLength..]);
            EvidenceBundleFuzzer.SameBytes(input[NodeLabel.SerializedLength..], StoredNodeCodec.EncodeState(node));
        }
        catch (MalformedInputException)
        {
        }
    }
}
