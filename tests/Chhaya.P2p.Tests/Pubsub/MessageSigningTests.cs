// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Identity;
using Chhaya.P2p.Pubsub;

namespace Chhaya.P2p.Tests.Pubsub;

public class MessageSigningTests
{
    [Fact]
    public void Signed_message_verifies_and_names_its_author()
    {
        using var id = Ed25519Identity.Generate();
        var m = MessageSigning.Sign(id, "t", [1, 2, 3], 42);
        Assert.Null(m.Key); // an Ed25519 peer id inlines its key
        Assert.Equal(8, m.Seqno!.Length);
        Assert.Equal(42, m.Seqno[7]);
        Assert.Null(MessageSigning.Check(m, SignaturePolicy.StrictSign, out var author));
        Assert.Equal(id.PeerId, author);

        // The signed bytes are the prefix and the message without signature and key, in field order.
        var signed = RpcCodec.SigningBytes(m);
        Assert.True("libp2p-pubsub:"u8.SequenceEqual(signed.AsSpan(0, 14)));
        Assert.True(id.PublicKey.Verify(signed, m.Signature!));
    }

    [Fact]
    public void Tampering_with_any_signed_field_is_detected()
    {
        using var id = Ed25519Identity.Generate();
        using var other = Ed25519Identity.Generate();
        var m = MessageSigning.Sign(id, "t", [1, 2, 3], 1);
        PubsubMessage With(Func<PubsubMessage, PubsubMessage> f) => f(m);

        Assert.NotNull(MessageSigning.Check(With(x => new PubsubMessage { From = x.From, Data = [9], Seqno = x.Seqno, Topic = x.Topic, Signature = x.Signature }), SignaturePolicy.StrictSign, out _));
        Assert.NotNull(MessageSigning.Check(With(x => new PubsubMessage { From = x.From, Data = x.Data, Seqno = new byte[8], Topic = x.Topic, Signature = x.Signature }), SignaturePolicy.StrictSign, out _));
        Assert.NotNull(MessageSigning.Check(With(x => new PubsubMessage { From = x.From, Data = x.Data, Seqno = x.Seqno, Topic = "u", Signature = x.Signature }), SignaturePolicy.StrictSign, out _));
        Assert.NotNull(MessageSigning.Check(With(x => new PubsubMessage { From = other.PeerId.Bytes.ToArray(), Data = x.Data, Seqno = x.Seqno, Topic = x.Topic, Signature = x.Signature }), SignaturePolicy.StrictSign, out _));
        Assert.NotNull(MessageSigning.Check(With(x => new PubsubMessage { From = x.From, Data = x.Data, Seqno = [1, 2, 3], Topic = x.Topic, Signature = x.Signature }), SignaturePolicy.StrictSign, out _));
        Assert.NotNull(MessageSigning.Check(With(x => new PubsubMessage { From = x.From, Data = x.Data, Seqno = x.Seqno, Topic = x.Topic }), SignaturePolicy.StrictSign, out _));

        // A key field naming another key is rejected even when the signature is by that other key.
        var forged = MessageSigning.Sign(other, "t", [1], 1);
        forged.Key = other.PublicKey.Encoded.ToArray();
        var relabelled = new PubsubMessage { From = id.PeerId.Bytes.ToArray(), Data = forged.Data, Seqno = forged.Seqno, Topic = "t", Signature = forged.Signature, Key = forged.Key };
        Assert.Contains("key does not match", MessageSigning.Check(relabelled, SignaturePolicy.StrictSign, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void Policies_do_not_mix()
    {
        using var id = Ed25519Identity.Generate();
        var signed = MessageSigning.Sign(id, "t", [1], 1);
        var unsigned = MessageSigning.CreateUnsigned("t", [1]);
        Assert.NotNull(MessageSigning.Check(signed, SignaturePolicy.StrictNoSign, out _));
        Assert.NotNull(MessageSigning.Check(unsigned, SignaturePolicy.StrictSign, out _));
        Assert.Null(MessageSigning.Check(unsigned, SignaturePolicy.StrictNoSign, out var author));
        Assert.Null(author);
        Assert.Equal(32, MessageSigning.ContentMessageId(unsigned).Length);
        Assert.Equal([.. id.PeerId.Bytes, .. signed.Seqno!], MessageSigning.DefaultMessageId(signed));
    }
}
