// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Pubsub;

namespace Chhaya.Benchmarks.Pubsub;

/// <summary>Encoding and decoding a gossipsub RPC with one signed 1 KiB message and gossip control, and checking a signature.</summary>
[MemoryDiagnoser]
public class RpcCodecBenchmarks
{
    private readonly Ed25519Identity _identity = Ed25519Identity.Generate();
    private PubsubRpc _rpc = null!;
    private byte[] _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var message = MessageSigning.Sign(_identity, "chhaya/bench/1", new byte[1024], 1);
        _rpc = new PubsubRpc
        {
            Publish = [message],
            Control = new ControlMessage { IHave = [new ControlIHave("chhaya/bench/1", [.. Enumerable.Range(0, 50).Select(i => new byte[46])])] },
        };
        _encoded = RpcCodec.Encode(_rpc);
    }

    [GlobalCleanup]
    public void Cleanup() => _identity.Dispose();

    [Benchmark]
    public byte[] Encode() => RpcCodec.Encode(_rpc);

    [Benchmark]
    public PubsubRpc Decode() => RpcCodec.Decode(_encoded);

    [Benchmark]
    public string? VerifySignature() => MessageSigning.Check(_rpc.Publish[0], SignaturePolicy.StrictSign, out _);
}
