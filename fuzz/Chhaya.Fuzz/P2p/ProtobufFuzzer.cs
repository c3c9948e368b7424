// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Protocols;
using Chhaya.Safety;

namespace Chhaya.Fuzz.P2p;

/// <summary>
/// The libp2p protobuf and binary decoders: PublicKey, Identify, peer id multihashes and binary multiaddrs.
/// Only <see cref="MalformedInputException"/> may escape; accepted keys, peer ids and multiaddrs must re-encode
/// to the input.
/// </summary>
public sealed class ProtobufFuzzer : IFuzzer
{
    public string Name => "p2p-protobuf";

    public void FuzzTarget(ReadOnlySpan<byte> input)
    {
        Try(input, static b =>
        {
            var key = PublicKey.Decode(b);
            _ = key.Verify([1, 2, 3], b);
        });
        Try(input, static b =>
        {
            var info = IdentifyInfo.Decode(b);
            _ = IdentifyInfo.Decode(info.Encode());
        });
        Try(input, static b =>
        {
            var id = PeerId.FromBytes(b);
            Check(id.Bytes.SequenceEqual(b), "peer id");
            Check(PeerId.Parse(id.ToString()).Equals(id), "peer id text");
        });
        Try(input, static b =>
        {
            var ma = Multiaddr.Decode(b);
            Check(ma.Bytes.SequenceEqual(b), "multiaddr");
            Check(Multiaddr.Parse(ma.ToString()).Equals(ma), "multiaddr text");
        });
    }

    private delegate void SpanAction(ReadOnlySpan<byte> input);

    private static void Try(ReadOnlySpan<byte> input, SpanAction action)
    {
        try
        {
            action(input);
        }
        catch (MalformedInputException)
        {
        }
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{what} does not round-trip");
        }
    }
}
