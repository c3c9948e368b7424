// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Pubsub;
using Chhaya.Safety;

namespace Chhaya.Fuzz.Pubsub;

/// <summary>
/// The gossipsub RPC decoder and the message signature check. Only <see cref="MalformedInputException"/> may
/// escape the decoder; a decoded RPC must re-encode to a fixed point (decode(encode(r)) encodes the same), and
/// checking each message's signature under both policies must never throw.
/// </summary>
public sealed class GossipsubRpcFuzzer : IFuzzer
{
    private static readonly RpcLimits Limits = new() { MaxRpcSize = 64 * 1024 };

    public string Name => "pubsub-rpc";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        PubsubRpc rpc;
        try
        {
            rpc = RpcCodec.Decode(input, Limits);
        }
        catch (MalformedInputException)
        {
            return;
        }

        var once = RpcCodec.Encode(rpc);
        var twice = RpcCodec.Encode(RpcCodec.Decode(once, new RpcLimits { MaxRpcSize = int.MaxValue }));
        if (!once.AsSpan().SequenceEqual(twice))
        {
            throw new InvalidOperationException("RPC does not re-encode to a fixed point");
        }

        foreach (var m in rpc.Publish)
        {
            _ = MessageSigning.Check(m, SignaturePolicy.StrictSign, out _);
            _ = MessageSigning.Check(m, SignaturePolicy.StrictNoSign, out _);
            _ = MessageSigning.DefaultMessageId(m);
        }
    }
}
