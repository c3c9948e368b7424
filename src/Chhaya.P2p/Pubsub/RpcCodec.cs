// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics.CodeAnalysis;
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Pubsub;

/// <summary>
/// Encodes and decodes the pubsub <c>RPC</c> protobuf. Encoding writes fields in field-number order (the form
/// signatures are computed over). Decoding checks every count and length against <see cref="RpcLimits"/>
/// before it allocates, skips unknown fields as protobuf allows, and rejects anything malformed with
/// <see cref="MalformedInputException"/>.
/// </summary>
public static class RpcCodec
{
    /// <summary>The prefix of the signed bytes (pubsub/README.md "Message Signing").</summary>
    public static ReadOnlySpan<byte> SignaturePrefix => "libp2p-pubsub:"u8;

    public static byte[] Encode(PubsubRpc rpc)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var w = new ProtoWriter();
        foreach (var s in rpc.Subscriptions)
        {
            var sw = new ProtoWriter();
            sw.WriteVarintField(1, s.Subscribe ? 1UL : 0UL);
            sw.WriteStringField(2, s.Topic);
            w.WriteBytesField(1, sw.ToArray());
        }

        foreach (var m in rpc.Publish)
        {
            w.WriteBytesField(2, EncodeMessage(m, includeSignature: true));
        }

        if (rpc.Control is { IsEmpty: false } control)
        {
            w.WriteBytesField(3, EncodeControl(control));
        }

        return w.ToArray();
    }

    /// <summary>Encodes a message; without the signature and key it is the body that is signed.</summary>
    public static byte[] EncodeMessage(PubsubMessage message, bool includeSignature)
    {
        ArgumentNullException.ThrowIfNull(message);
        var w = new ProtoWriter();
        if (message.From is not null)
        {
            w.WriteBytesField(1, message.From);
        }

        if (message.Data is not null)
        {
            w.WriteBytesField(2, message.Data);
        }

        if (message.Seqno is not null)
        {
            w.WriteBytesField(3, message.Seqno);
        }

        w.WriteStringField(4, message.Topic);
        if (includeSignature)
        {
            if (message.Signature is not null)
            {
                w.WriteBytesField(5, message.Signature);
            }

            if (message.Key is not null)
            {
                w.WriteBytesField(6, message.Key);
            }
        }

        return w.ToArray();
    }

    /// <summary>The bytes a StrictSign signature covers: the prefix and the message without signature and key.</summary>
    public static byte[] SigningBytes(PubsubMessage message)
    {
        var body = EncodeMessage(message, includeSignature: false);
        var result = new byte[SignaturePrefix.Length + body.Length];
        SignaturePrefix.CopyTo(result);
        body.CopyTo(result.AsSpan(SignaturePrefix.Length));
        return result;
    }

    internal static int MessageSize(PubsubMessage m) => EncodeMessage(m, includeSignature: true).Length;

    /// <summary>Decodes one RPC.</summary>
    /// <exception cref="MalformedInputException">Malformed protobuf, invalid UTF-8 in a topic, or a bound exceeded.</exception>
    public static PubsubRpc Decode(ReadOnlySpan<byte> data, RpcLimits? limits = null)
    {
        limits ??= RpcLimits.Default;
        if (data.Length > limits.MaxRpcSize)
        {
            Fail($"RPC of {data.Length} bytes is over the limit of {limits.MaxRpcSize}");
        }

        var budget = new Budget(limits);
        var rpc = new PubsubRpc();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    if (rpc.Subscriptions.Count >= limits.MaxSubscriptions)
                    {
                        Fail($"RPC has more than {limits.MaxSubscriptions} subscription changes");
                    }

                    rpc.Subscriptions.Add(DecodeSubOpts(reader.ReadBytes(), limits));
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    if (rpc.Publish.Count >= limits.MaxMessages)
                    {
                        Fail($"RPC has more than {limits.MaxMessages} messages");
                    }

                    rpc.Publish.Add(DecodeMessage(reader.ReadBytes(), limits));
                    break;
                case 3:
                    ProtoReader.Expect(wire, 2, field);
                    var control = DecodeControl(reader.ReadBytes(), budget);
                    if (rpc.Control is null)
                    {
                        rpc.Control = control;
                    }
                    else
                    {
                        // Protobuf merges a repeated embedded message field; keep every entry.
                        rpc.Control.IHave.AddRange(control.IHave);
                        rpc.Control.IWant.AddRange(control.IWant);
                        rpc.Control.Graft.AddRange(control.Graft);
                        rpc.Control.Prune.AddRange(control.Prune);
                        rpc.Control.IDontWant.AddRange(control.IDontWant);
                    }

                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return rpc;
    }

    /// <summary>Decodes one <c>Message</c> on its own (the fuzz target and tests use it).</summary>
    /// <exception cref="MalformedInputException">Malformed protobuf, no topic, invalid UTF-8, or a bound exceeded.</exception>
    public static PubsubMessage DecodeMessage(ReadOnlySpan<byte> data, RpcLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        byte[]? from = null, body = null, seqno = null, signature = null, key = null;
        string? topic = null;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            if (field is >= 1 and <= 6)
            {
                ProtoReader.Expect(wire, 2, field);
                var bytes = reader.ReadBytes();
                switch (field)
                {
                    case 1:
                        from = Bounded(bytes, 128, "from");
                        break;
                    case 2:
                        body = bytes.ToArray();
                        break;
                    case 3:
                        seqno = Bounded(bytes, 64, "seqno");
                        break;
                    case 4:
                        topic = Topic(bytes, limits);
                        break;
                    case 5:
                        signature = Bounded(bytes, 1024, "signature");
                        break;
                    default:
                        key = Bounded(bytes, Identity.PublicKey.MaxEncodedLength, "key");
                        break;
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (topic is null)
        {
            Fail("message has no topic");
        }

        return new PubsubMessage { From = from, Data = body, Seqno = seqno, Topic = topic, Signature = signature, Key = key };
    }

    private static SubscriptionChange DecodeSubOpts(ReadOnlySpan<byte> data, RpcLimits limits)
    {
        var subscribe = false;
        string? topic = null;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 0, field);
                    subscribe = reader.ReadVarint() != 0;
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    topic = Topic(reader.ReadBytes(), limits);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (topic is null)
        {
            Fail("subscription change has no topic");
        }

        return new SubscriptionChange(subscribe, topic);
    }

    private static byte[] EncodeControl(ControlMessage c)
    {
        var w = new ProtoWriter();
        foreach (var ihave in c.IHave)
        {
            var x = new ProtoWriter();
            x.WriteStringField(1, ihave.Topic);
            foreach (var id in ihave.MessageIds)
            {
                x.WriteBytesField(2, id);
            }

            w.WriteBytesField(1, x.ToArray());
        }

        foreach (var iwant in c.IWant)
        {
            w.WriteBytesField(2, EncodeIds(iwant.MessageIds));
        }

        foreach (var graft in c.Graft)
        {
            var x = new ProtoWriter();
            x.WriteStringField(1, graft.Topic);
            w.WriteBytesField(3, x.ToArray());
        }

        foreach (var prune in c.Prune)
        {
            var x = new ProtoWriter();
            x.WriteStringField(1, prune.Topic);
            foreach (var p in prune.Peers)
            {
                var pi = new ProtoWriter();
                if (p.PeerId is not null)
                {
                    pi.WriteBytesField(1, p.PeerId);
                }

                if (p.SignedPeerRecord is not null)
                {
                    pi.WriteBytesField(2, p.SignedPeerRecord);
                }

                x.WriteBytesField(2, pi.ToArray());
            }

            if (prune.BackoffSeconds is { } backoff)
            {
                x.WriteVarintField(3, backoff);
            }

            w.WriteBytesField(4, x.ToArray());
        }

        foreach (var idw in c.IDontWant)
        {
            w.WriteBytesField(5, EncodeIds(idw.MessageIds));
        }

        return w.ToArray();
    }

    private static byte[] EncodeIds(List<byte[]> ids)
    {
        var x = new ProtoWriter();
        foreach (var id in ids)
        {
            x.WriteBytesField(1, id);
        }

        return x.ToArray();
    }

    private static ControlMessage DecodeControl(ReadOnlySpan<byte> data, Budget budget)
    {
        var control = new ControlMessage();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            if (field is < 1 or > 5)
            {
                reader.Skip(wire);
                continue;
            }

            ProtoReader.Expect(wire, 2, field);
            budget.Entry();
            var body = reader.ReadBytes();
            switch (field)
            {
                case 1:
                    control.IHave.Add(DecodeIHave(body, budget));
                    break;
                case 2:
                    control.IWant.Add(new ControlIWant(DecodeIds(body, budget)));
                    break;
                case 3:
                    control.Graft.Add(new ControlGraft(DecodeTopicOnly(body, budget.Limits)));
                    break;
                case 4:
                    control.Prune.Add(DecodePrune(body, budget));
                    break;
                default:
                    control.IDontWant.Add(new ControlIDontWant(DecodeIds(body, budget)));
                    break;
            }
        }

        return control;
    }

    private static ControlIHave DecodeIHave(ReadOnlySpan<byte> data, Budget budget)
    {
        string? topic = null;
        var ids = new List<byte[]>();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    topic = Topic(reader.ReadBytes(), budget.Limits);
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    ids.Add(budget.Id(reader.ReadBytes()));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new ControlIHave(topic ?? "", ids);
    }

    private static List<byte[]> DecodeIds(ReadOnlySpan<byte> data, Budget budget)
    {
        var ids = new List<byte[]>();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1)
            {
                ProtoReader.Expect(wire, 2, field);
                ids.Add(budget.Id(reader.ReadBytes()));
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return ids;
    }

    private static string DecodeTopicOnly(ReadOnlySpan<byte> data, RpcLimits limits)
    {
        string? topic = null;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            if (field == 1)
            {
                ProtoReader.Expect(wire, 2, field);
                topic = Topic(reader.ReadBytes(), limits);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return topic ?? "";
    }

    private static ControlPrune DecodePrune(ReadOnlySpan<byte> data, Budget budget)
    {
        string? topic = null;
        ulong? backoff = null;
        var peers = new List<PeerExchangeInfo>();
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    topic = Topic(reader.ReadBytes(), budget.Limits);
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    peers.Add(DecodePeerInfo(reader.ReadBytes(), budget));
                    break;
                case 3:
                    ProtoReader.Expect(wire, 0, field);
                    backoff = reader.ReadVarint();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new ControlPrune(topic ?? "", peers, backoff);
    }

    private static PeerExchangeInfo DecodePeerInfo(ReadOnlySpan<byte> data, Budget budget)
    {
        budget.PeerExchange();
        byte[]? peer = null, record = null;
        var reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadKey();
            switch (field)
            {
                case 1:
                    ProtoReader.Expect(wire, 2, field);
                    peer = Bounded(reader.ReadBytes(), 128, "PX peer id");
                    break;
                case 2:
                    ProtoReader.Expect(wire, 2, field);
                    record = Bounded(reader.ReadBytes(), budget.Limits.MaxSignedPeerRecordLength, "signed peer record");
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new PeerExchangeInfo(peer, record);
    }

    private static string Topic(ReadOnlySpan<byte> bytes, RpcLimits limits)
    {
        if (bytes.Length > limits.MaxTopicLength)
        {
            Fail($"topic of {bytes.Length} bytes is over the limit of {limits.MaxTopicLength}");
        }

        return Utf8Strict.Decode(bytes);
    }

    private static byte[] Bounded(ReadOnlySpan<byte> bytes, int max, string what)
    {
        if (bytes.Length > max)
        {
            Fail($"{what} of {bytes.Length} bytes is over the limit of {max}");
        }

        return bytes.ToArray();
    }

    [DoesNotReturn]
    private static void Fail(string message) => throw new MalformedInputException(message);

    /// <summary>Counts across the whole RPC, so nesting cannot multiply the bounds.</summary>
    private sealed class Budget(RpcLimits limits)
    {
        private int _ids;
        private int _entries;
        private int _px;

        public RpcLimits Limits { get; } = limits;

        public byte[] Id(ReadOnlySpan<byte> id)
        {
            if (++_ids > Limits.MaxControlIds)
            {
                Fail($"RPC carries more than {Limits.MaxControlIds} message ids");
            }

            return Bounded(id, Limits.MaxMessageIdLength, "message id");
        }

        public void Entry()
        {
            if (++_entries > Limits.MaxControlEntries)
            {
                Fail($"RPC carries more than {Limits.MaxControlEntries} control entries");
            }
        }

        public void PeerExchange()
        {
            if (++_px > Limits.MaxPeerExchange)
            {
                Fail($"RPC carries more than {Limits.MaxPeerExchange} peer-exchange records");
            }
        }
    }
}
