// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Configuration;

/// <summary>
/// AKD's <c>WhatsAppV1Configuration</c> (<c>akd_core/src/configuration/whatsapp_v1.rs</c>), the suite
/// WhatsApp's key transparency log uses: H = BLAKE3-256 with no domain label; a label enters hashes as
/// <c>H(u32be(len) ‖ value)</c>; a parent is <c>H(H(lv ‖ ll) ‖ H(rv ‖ rl))</c>; the published root is
/// <c>H(root value ‖ label value of the root)</c>.
/// </summary>
public sealed class WhatsAppV1Configuration : VkdConfiguration
{
    // AKD's EMPTY_VALUE. Declared before Instance: static initialisers run in textual order.
    private static readonly byte[] EmptyValueBytes = [0];

    /// <summary>The one instance.</summary>
    public static WhatsAppV1Configuration Instance { get; } = new();

    private readonly Digest _emptyRootValue;
    private readonly Digest _emptyNodeHash;
    private readonly NodeLabel _emptyLabel;
    private readonly Digest _rootLabelValue;

    private WhatsAppV1Configuration()
    {
        Span<byte> ones = stackalloc byte[NodeLabel.ValueLength];
        ones.Fill(1);
        _emptyLabel = new NodeLabel(ones, 0);
        _emptyRootValue = Hash(EmptyValueBytes);
        Span<byte> data = stackalloc byte[2 * Digest.Length];
        _emptyRootValue.CopyTo(data);
        LabelValue(_emptyLabel).CopyTo(data[Digest.Length..]);
        _emptyNodeHash = Hash(data);
        _rootLabelValue = LabelValue(NodeLabel.Root);
    }

    public override string Name => "whatsapp_v1";

    public override Digest EmptyRootValue => _emptyRootValue;

    public override Digest EmptyNodeHash => _emptyNodeHash;

    public override Digest StaleValue => _emptyRootValue;

    public override NodeLabel EmptyLabel => _emptyLabel;

    public override Digest Hash(ReadOnlySpan<byte> data) => Blake3Hash.Hash(data);

    public override Digest ParentHash(in Digest leftValue, in NodeLabel leftLabel, in Digest rightValue, in NodeLabel rightLabel)
    {
        Span<byte> data = stackalloc byte[2 * Digest.Length];
        ChildHash(leftValue, leftLabel).CopyTo(data);
        ChildHash(rightValue, rightLabel).CopyTo(data[Digest.Length..]);
        return Hash(data);
    }

    public override Digest RootHash(in Digest rootValue)
    {
        Span<byte> data = stackalloc byte[2 * Digest.Length];
        rootValue.CopyTo(data);
        _rootLabelValue.CopyTo(data[Digest.Length..]);
        return Hash(data);
    }

    public override Digest CommitmentNonce(ReadOnlySpan<byte> commitmentKey, in NodeLabel label, ulong version, ReadOnlySpan<byte> value)
    {
        Safety.Guard.MaxLength(commitmentKey.Length, 1024, nameof(commitmentKey));
        Safety.Guard.MaxLength(value.Length, MaxHashedValueLength, nameof(value));
        Span<byte> middle = stackalloc byte[NodeLabel.SerializedLength + 8 + 8];
        label.WriteSerialized(middle);
        BinaryPrimitives.WriteUInt64BigEndian(middle[NodeLabel.SerializedLength..], version);
        BinaryPrimitives.WriteUInt64BigEndian(middle[(NodeLabel.SerializedLength + 8)..], (ulong)value.Length);
        var head = new byte[commitmentKey.Length + middle.Length];
        commitmentKey.CopyTo(head);
        middle.CopyTo(head.AsSpan(commitmentKey.Length));
        return Blake3Hash.Hash(head, value);
    }

    // H(u32be(len) ‖ value): the "label value" whatsapp_v1 hashes into parents.
    private Digest LabelValue(in NodeLabel label)
    {
        Span<byte> bytes = stackalloc byte[NodeLabel.SerializedLength];
        label.WriteSerialized(bytes);
        return Hash(bytes);
    }

    private Digest ChildHash(in Digest value, in NodeLabel label)
    {
        Span<byte> data = stackalloc byte[2 * Digest.Length];
        value.CopyTo(data);
        LabelValue(label).CopyTo(data[Digest.Length..]);
        return Hash(data);
    }
}
