// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Pubsub;
using Chhaya.Safety;
using CsCheck;

namespace Chhaya.P2p.Tests.Pubsub;

public class RpcCodecTests
{
    private static readonly Gen<string> GenTopic = Gen.Int[0, 50].Select(i => "topic/" + i);

    private static readonly Gen<byte[]?> GenOptBytes = Gen.Bool.Select(Gen.Byte.Array[0, 40], (present, b) => present ? b : null);

    private static readonly Gen<PubsubMessage> GenMessage =
        Gen.Select(GenOptBytes, GenOptBytes, GenOptBytes, GenTopic, GenOptBytes, GenOptBytes)
            .Select(t => new PubsubMessage { From = t.Item1, Data = t.Item2, Seqno = t.Item3, Topic = t.Item4, Signature = t.Item5, Key = t.Item6 });

    private static readonly Gen<List<byte[]>> GenIds = Gen.Byte.Array[1, 48].Array[0, 6].Select(a => a.ToList());

    private static readonly Gen<ControlMessage> GenControl =
        Gen.Select(
            Gen.Select(GenTopic, GenIds, (t, ids) => new ControlIHave(t, ids)).Array[0, 3],
            GenIds.Select(ids => new ControlIWant(ids)).Array[0, 3],
            GenTopic.Select(t => new ControlGraft(t)).Array[0, 3],
            Gen.Select(GenTopic, Gen.Select(GenOptBytes, GenOptBytes, (p, r) => new PeerExchangeInfo(p, r)).Array[0, 3], Gen.Bool, Gen.ULong[0, 100_000], (t, px, hasB, b) => new ControlPrune(t, px.ToList(), hasB ? b : null)).Array[0, 3],
            GenIds.Select(ids => new ControlIDontWant(ids)).Array[0, 3])
        .Select(t => new ControlMessage { IHave = [.. t.Item1], IWant = [.. t.Item2], Graft = [.. t.Item3], Prune = [.. t.Item4], IDontWant = [.. t.Item5] });

    private static readonly Gen<PubsubRpc> GenRpc =
        Gen.Select(Gen.Select(Gen.Bool, GenTopic, (s, t) => new SubscriptionChange(s, t)).Array[0, 4], GenMessage.Array[0, 4], GenControl, Gen.Bool)
            .Select((subs, msgs, control, hasControl) => new PubsubRpc { Subscriptions = [.. subs], Publish = [.. msgs], Control = hasControl ? control : null });

    [Fact]
    public void Every_rpc_round_trips_through_the_codec()
    {
        GenRpc.Sample(rpc =>
        {
            var bytes = RpcCodec.Encode(rpc);
            var back = RpcCodec.Decode(bytes);
            Assert.Equal(bytes, RpcCodec.Encode(back));
            Assert.Equal(rpc.Subscriptions, back.Subscriptions);
            Assert.Equal(rpc.Publish.Count, back.Publish.Count);
            for (var i = 0; i < rpc.Publish.Count; i++)
            {
                Assert.Equal(rpc.Publish[i].Topic, back.Publish[i].Topic);
                Assert.Equal(rpc.Publish[i].Data, back.Publish[i].Data);
                Assert.Equal(rpc.Publish[i].From, back.Publish[i].From);
                Assert.Equal(rpc.Publish[i].Seqno, back.Publish[i].Seqno);
                Assert.Equal(rpc.Publish[i].Signature, back.Publish[i].Signature);
                Assert.Equal(rpc.Publish[i].Key, back.Publish[i].Key);
            }

            if (rpc.Control is { IsEmpty: false } c)
            {
                Assert.NotNull(back.Control);
                Assert.Equal(c.IHave.Count, back.Control.IHave.Count);
                Assert.Equal(c.Prune.Select(p => p.BackoffSeconds), back.Control.Prune.Select(p => p.BackoffSeconds));
                Assert.Equal(c.IDontWant.SelectMany(x => x.MessageIds), back.Control.IDontWant.SelectMany(x => x.MessageIds));
            }
        }, iter: 500);
    }

    [Fact]
    public void Encoding_matches_hand_built_protobuf()
    {
        var rpc = new PubsubRpc
        {
            Subscriptions = [new SubscriptionChange(true, "a")],
            Control = new ControlMessage { Prune = [new ControlPrune("b", [], 60)] },
        };

        // 0a 05 (08 01 12 01 'a') ; 1a 07 (22 05 (0a 01 'b' 18 3c))
        Assert.Equal(Convert.FromHexString("0A050801120161" + "1A07" + "2205" + "0A0162183C"), RpcCodec.Encode(rpc));
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "0A", "truncated key body" },
        { "0A05080112", "length past end" },
        { "12020801", "message without topic" },
        { "0A020801", "subscription without topic" },
        { "0A0408011202FFFE", "topic not UTF-8" },
        { "0B", "wire type 3 (group)" },
        { "00", "field number 0" },
        { "0880808080808080808001", "over-long varint" },
        { "1A0308FFFF", "control entry with a varint wire type" },
        { "0A03120180", "non-minimal varint" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_rpcs_are_rejected(string hex, string why)
    {
        var e = Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(Convert.FromHexString(hex)));
        Assert.False(string.IsNullOrEmpty(e.Message), why);
    }

    [Fact]
    public void Bounds_are_enforced_before_allocation()
    {
        var limits = new RpcLimits { MaxMessages = 2, MaxSubscriptions = 2, MaxControlIds = 3, MaxTopicLength = 4, MaxRpcSize = 200, MaxControlEntries = 2, MaxPeerExchange = 1 };
        var three = new PubsubRpc { Publish = [.. Enumerable.Range(0, 3).Select(_ => new PubsubMessage { Topic = "t" })] };
        Assert.Contains("messages", Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(RpcCodec.Encode(three), limits)).Message, StringComparison.Ordinal);

        var subs = new PubsubRpc { Subscriptions = [new(true, "a"), new(true, "b"), new(true, "c")] };
        Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(RpcCodec.Encode(subs), limits));

        var longTopic = new PubsubRpc { Subscriptions = [new(true, "abcde")] };
        Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(RpcCodec.Encode(longTopic), limits));

        // Ids are counted over the whole RPC, across entries.
        var ids = new PubsubRpc { Control = new ControlMessage { IWant = [new([[1], [2]])], IDontWant = [new([[3], [4]])] } };
        Assert.Contains("message ids", Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(RpcCodec.Encode(ids), limits)).Message, StringComparison.Ordinal);

        var entries = new PubsubRpc { Control = new ControlMessage { Graft = [new("a"), new("b"), new("c")] } };
        Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(RpcCodec.Encode(entries), limits));

        var px = new PubsubRpc { Control = new ControlMessage { Prune = [new("a", [new([1], null), new([2], null)], 1)] } };
        Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(RpcCodec.Encode(px), limits));

        Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(new byte[201], limits));
        var longId = new PubsubRpc { Control = new ControlMessage { IWant = [new([new byte[257]])] } };
        Assert.Throws<MalformedInputException>(() => RpcCodec.Decode(RpcCodec.Encode(longId)));
    }

    [Fact]
    public void Unknown_fields_are_skipped_and_repeated_control_fields_merge()
    {
        // subscriptions, an unknown varint field 9 and an unknown bytes field 10, two control fields.
        var bytes = Convert.FromHexString("0A050801120161" + "4807" + "52027A7A" + "1A02" + "1A00" + "1A02" + "1A00");
        var rpc = RpcCodec.Decode(bytes);
        Assert.Single(rpc.Subscriptions);
        Assert.Equal(2, rpc.Control!.Graft.Count);
    }
}
