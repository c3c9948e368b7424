// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Storage;
using Chhaya.Witness.Storage;
using CsCheck;

namespace Chhaya.Witness.Tests;

public class StoredNodeCodecTests
{
    private static readonly Gen<NodeLabel> Labels =
        Gen.Byte.Array[NodeLabel.ValueLength].Select(Gen.Int[0, NodeLabel.MaxBits], (value, bits) => new NodeLabel(value, bits));

    private static readonly Gen<StoredNode> Nodes =
        Labels.Select(Labels, Gen.Bool, Gen.Bool, Gen.Byte.Array[Digest.Length], Gen.Bool, Gen.ULong, Gen.ULong)
            .Select(Gen.ULong, (t, min) => new StoredNode(t.Item1, t.Item3 ? t.Item2 : null, t.Item4 ? t.Item2 : null, new Digest(t.Item5), t.Item6, t.Item7, t.Item8, min));

    [Fact]
    public void Node_states_round_trip() =>
        Nodes.Sample(node =>
        {
            var label = StoredNodeCodec.DecodeLabel(StoredNodeCodec.EncodeLabel(node.Label));
            return StoredNodeCodec.DecodeState(label, StoredNodeCodec.EncodeState(node)) == node;
        });

    [Fact]
    public void Arbitrary_bytes_are_rejected_with_the_documented_exception_only() =>
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                StoredNodeCodec.DecodeState(NodeLabel.Root, bytes);
            }
            catch (MalformedInputException)
            {
            }

            try
            {
                StoredNodeCodec.DecodeLabel(bytes);
            }
            catch (MalformedInputException)
            {
            }
        });

    [Fact]
    public void A_truncated_state_is_rejected()
    {
        var node = new StoredNode(NodeLabel.Root, NodeLabel.Root, null, default, false, 1, 2, 3);
        var bytes = StoredNodeCodec.EncodeState(node);
        Assert.Throws<MalformedInputException>(() => StoredNodeCodec.DecodeState(NodeLabel.Root, bytes.AsSpan(0, bytes.Length - 1)));
    }
}
