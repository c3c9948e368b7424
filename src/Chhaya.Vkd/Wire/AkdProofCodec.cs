// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Proofs;

namespace Chhaya.Vkd.Wire;

/// <summary>
/// AKD's protobuf encoding of proofs (<c>akd_core/src/proto/specs/types.proto</c>, proto2, with the
/// conversion rules of <c>akd_core/src/proto/mod.rs</c>), decoded strictly and encoded canonically:
/// <c>Encode(Decode(b)) == b</c> for every accepted <c>b</c>.
/// </summary>
/// <remarks>
/// Stricter than AKD, on inputs AKD's own encoder never writes: unknown fields, out-of-order or
/// duplicated fields, non-minimal varints, a <c>label_val</c> with trailing zero bytes, a sibling
/// proof with other than one sibling, a direction other than 0 or 1 (AKD masks it with 0x0F), VRF
/// proofs not 80 bytes, commitment nonces not 32 bytes, and previous-version fields present one
/// without the other. All decoders throw only <see cref="MalformedInputException"/>.
/// </remarks>
public static class AkdProofCodec
{
    /// <summary>Length of an ECVRF-EDWARDS25519-SHA512-TAI proof.</summary>
    public const int VrfProofLength = 80;

    /// <summary>Length of a commitment nonce.</summary>
    public const int CommitmentNonceLength = 32;

    // ---------------------------------------------------------------- decoding

    /// <summary>Decodes a <c>LookupProof</c>.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a canonical, bounded LookupProof.</exception>
    public static LookupProof DecodeLookupProof(ReadOnlySpan<byte> data, DecodeLimits? limits = null)
    {
        limits ??= DecodeLimits.Default;
        var r = new ProtoReader(data, "LookupProof");
        ulong? epoch = null, version = null;
        byte[]? value = null, exVrf = null, markerVrf = null, freshVrf = null, nonce = null;
        MembershipProof? exProof = null, markerProof = null;
        NonMembershipProof? freshProof = null;
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: false);
            switch (field)
            {
                case 1: r.ExpectWireType(field, wire, ProtoReader.WireVarint); epoch = r.ReadVarint(); break;
                case 2: r.ExpectWireType(field, wire, ProtoReader.WireLengthDelimited); value = r.ReadBytes(limits.MaxValueLength).ToArray(); break;
                case 3: r.ExpectWireType(field, wire, ProtoReader.WireVarint); version = r.ReadVarint(); break;
                case 4: exVrf = ReadVrfProof(ref r, field, wire); break;
                case 5: exProof = DecodeMembership(ReadMessage(ref r, field, wire), limits); break;
                case 6: markerVrf = ReadVrfProof(ref r, field, wire); break;
                case 7: markerProof = DecodeMembership(ReadMessage(ref r, field, wire), limits); break;
                case 8: freshVrf = ReadVrfProof(ref r, field, wire); break;
                case 9: freshProof = DecodeNonMembership(ReadMessage(ref r, field, wire), limits); break;
                case 10: nonce = ReadNonce(ref r, field, wire); break;
                default: r.UnknownField(field); break;
            }
        }

        return new LookupProof(
            Require(epoch, "LookupProof.epoch"),
            Require(value, "LookupProof.value"),
            Require(version, "LookupProof.version"),
            Require(exVrf, "LookupProof.existence_vrf_proof"),
            Require(exProof, "LookupProof.existence_proof"),
            Require(markerVrf, "LookupProof.marker_vrf_proof"),
            Require(markerProof, "LookupProof.marker_proof"),
            Require(freshVrf, "LookupProof.freshness_vrf_proof"),
            Require(freshProof, "LookupProof.freshness_proof"),
            Require(nonce, "LookupProof.commitment_nonce"));
    }

    /// <summary>Decodes a <c>HistoryProof</c>.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a canonical, bounded HistoryProof.</exception>
    public static HistoryProof DecodeHistoryProof(ReadOnlySpan<byte> data, DecodeLimits? limits = null)
    {
        limits ??= DecodeLimits.Default;
        var r = new ProtoReader(data, "HistoryProof");
        var updates = new List<UpdateProof>();
        var pastVrf = new List<ReadOnlyMemory<byte>>();
        var pastProofs = new List<MembershipProof>();
        var futureVrf = new List<ReadOnlyMemory<byte>>();
        var futureProofs = new List<NonMembershipProof>();
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: true);
            switch (field)
            {
                case 1:
                    Bound(ref r, updates.Count, limits.MaxUpdateProofs, "update_proofs");
                    updates.Add(DecodeUpdate(ReadMessage(ref r, field, wire), limits));
                    break;
                case 2:
                    Bound(ref r, pastVrf.Count, limits.MaxMarkerProofs, "past_marker_vrf_proofs");
                    pastVrf.Add(ReadVrfProof(ref r, field, wire));
                    break;
                case 3:
                    Bound(ref r, pastProofs.Count, limits.MaxMarkerProofs, "existence_of_past_marker_proofs");
                    pastProofs.Add(DecodeMembership(ReadMessage(ref r, field, wire), limits));
                    break;
                case 4:
                    Bound(ref r, futureVrf.Count, limits.MaxMarkerProofs, "future_marker_vrf_proofs");
                    futureVrf.Add(ReadVrfProof(ref r, field, wire));
                    break;
                case 5:
                    Bound(ref r, futureProofs.Count, limits.MaxMarkerProofs, "non_existence_of_future_marker_proofs");
                    futureProofs.Add(DecodeNonMembership(ReadMessage(ref r, field, wire), limits));
                    break;
                default: r.UnknownField(field); break;
            }
        }

        return new HistoryProof(updates, pastVrf, pastProofs, futureVrf, futureProofs);
    }

    /// <summary>Decodes a <c>SingleAppendOnlyProof</c> (an audit blob body) into memory.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a canonical, bounded SingleAppendOnlyProof.</exception>
    public static SingleAppendOnlyProof DecodeSingleAppendOnlyProof(ReadOnlySpan<byte> data, DecodeLimits? limits = null)
    {
        limits ??= DecodeLimits.Default;
        var r = new ProtoReader(data, "SingleAppendOnlyProof");
        var inserted = new List<AzksElement>();
        var unchanged = new List<AzksElement>();
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: true);
            Bound(ref r, inserted.Count + unchanged.Count, limits.MaxAuditElements, "elements");
            switch (field)
            {
                case 1: inserted.Add(DecodeElement(ReadMessage(ref r, field, wire))); break;
                case 2: unchanged.Add(DecodeElement(ReadMessage(ref r, field, wire))); break;
                default: r.UnknownField(field); break;
            }
        }

        return new SingleAppendOnlyProof(inserted, unchanged);
    }

    /// <summary>Decodes an <c>AppendOnlyProof</c> (several steps).</summary>
    /// <exception cref="MalformedInputException">The bytes are not a canonical, bounded AppendOnlyProof.</exception>
    public static AppendOnlyProof DecodeAppendOnlyProof(ReadOnlySpan<byte> data, DecodeLimits? limits = null)
    {
        limits ??= DecodeLimits.Default;
        var r = new ProtoReader(data, "AppendOnlyProof");
        var proofs = new List<SingleAppendOnlyProof>();
        var epochs = new List<ulong>();
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: true);
            switch (field)
            {
                case 1:
                    Bound(ref r, proofs.Count, limits.MaxAuditSteps, "proofs");
                    proofs.Add(DecodeSingleAppendOnlyProof(ReadMessage(ref r, field, wire), limits));
                    break;
                case 2:
                    Bound(ref r, epochs.Count, limits.MaxAuditSteps, "epochs");
                    r.ExpectWireType(field, wire, ProtoReader.WireVarint);
                    epochs.Add(r.ReadVarint());
                    break;
                default: r.UnknownField(field); break;
            }
        }

        return new AppendOnlyProof(proofs, epochs);
    }

    /// <summary>Decodes a <c>MembershipProof</c>.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a canonical, bounded MembershipProof.</exception>
    public static MembershipProof DecodeMembershipProof(ReadOnlySpan<byte> data, DecodeLimits? limits = null) =>
        DecodeMembership(data, limits ?? DecodeLimits.Default);

    /// <summary>Decodes a <c>NonMembershipProof</c>.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a canonical, bounded NonMembershipProof.</exception>
    public static NonMembershipProof DecodeNonMembershipProof(ReadOnlySpan<byte> data, DecodeLimits? limits = null) =>
        DecodeNonMembership(data, limits ?? DecodeLimits.Default);

    /// <summary>Decodes an <c>AzksElement</c>.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a canonical AzksElement.</exception>
    public static AzksElement DecodeAzksElement(ReadOnlySpan<byte> data) => DecodeElement(data);

    internal static NodeLabel DecodeLabel(ReadOnlySpan<byte> data)
    {
        var r = new ProtoReader(data, "NodeLabel");
        ReadOnlySpan<byte> val = default;
        var hasVal = false;
        uint? len = null;
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: false);
            switch (field)
            {
                case 1:
                    r.ExpectWireType(field, wire, ProtoReader.WireLengthDelimited);
                    val = r.ReadBytes(NodeLabel.ValueLength);
                    hasVal = true;
                    break;
                case 2:
                    r.ExpectWireType(field, wire, ProtoReader.WireVarint);
                    len = r.ReadUInt32();
                    break;
                default: r.UnknownField(field); break;
            }
        }

        if (!hasVal)
        {
            throw new MalformedInputException("NodeLabel.label_val is missing.");
        }

        var bitLength = Require(len, "NodeLabel.label_len");
        if (bitLength > NodeLabel.MaxBits)
        {
            throw new MalformedInputException($"NodeLabel.label_len {bitLength} is over {NodeLabel.MaxBits}.");
        }

        if (!val.IsEmpty && val[^1] == 0)
        {
            throw new MalformedInputException("NodeLabel.label_val is not minimised (trailing zero byte).");
        }

        Span<byte> padded = stackalloc byte[NodeLabel.ValueLength];
        padded.Clear();
        val.CopyTo(padded);
        return new NodeLabel(padded, (int)bitLength);
    }

    internal static AzksElement DecodeElement(ReadOnlySpan<byte> data)
    {
        var r = new ProtoReader(data, "AzksElement");
        NodeLabel? label = null;
        Digest? value = null;
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: false);
            switch (field)
            {
                case 1: label = DecodeLabel(ReadMessage(ref r, field, wire)); break;
                case 2: value = ReadDigest(ref r, field, wire); break;
                default: r.UnknownField(field); break;
            }
        }

        return new AzksElement(Require(label, "AzksElement.label"), Require(value, "AzksElement.value"));
    }

    private static SiblingProof DecodeSibling(ReadOnlySpan<byte> data)
    {
        var r = new ProtoReader(data, "SiblingProof");
        NodeLabel? label = null;
        AzksElement? sibling = null;
        uint? direction = null;
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: false);
            switch (field)
            {
                case 1: label = DecodeLabel(ReadMessage(ref r, field, wire)); break;
                case 2: sibling = DecodeElement(ReadMessage(ref r, field, wire)); break;
                case 3:
                    r.ExpectWireType(field, wire, ProtoReader.WireVarint);
                    direction = r.ReadUInt32();
                    break;
                default: r.UnknownField(field); break;
            }
        }

        var dir = Require(direction, "SiblingProof.direction");
        if (dir > 1)
        {
            throw new MalformedInputException($"SiblingProof.direction {dir} is neither 0 nor 1.");
        }

        return new SiblingProof(Require(label, "SiblingProof.label"), Require(sibling, "SiblingProof.siblings"), (Direction)dir);
    }

    private static MembershipProof DecodeMembership(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var r = new ProtoReader(data, "MembershipProof");
        NodeLabel? label = null;
        Digest? hash = null;
        var siblings = new List<SiblingProof>();
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: field == 3);
            switch (field)
            {
                case 1: label = DecodeLabel(ReadMessage(ref r, field, wire)); break;
                case 2: hash = ReadDigest(ref r, field, wire); break;
                case 3:
                    Bound(ref r, siblings.Count, limits.MaxSiblingProofs, "sibling_proofs");
                    siblings.Add(DecodeSibling(ReadMessage(ref r, field, wire)));
                    break;
                default: r.UnknownField(field); break;
            }
        }

        return new MembershipProof(Require(label, "MembershipProof.label"), Require(hash, "MembershipProof.hash_val"), siblings);
    }

    private static NonMembershipProof DecodeNonMembership(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var r = new ProtoReader(data, "NonMembershipProof");
        NodeLabel? label = null, prefix = null;
        var children = new List<AzksElement>(2);
        MembershipProof? membership = null;
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: field == 3);
            switch (field)
            {
                case 1: label = DecodeLabel(ReadMessage(ref r, field, wire)); break;
                case 2: prefix = DecodeLabel(ReadMessage(ref r, field, wire)); break;
                case 3:
                    Bound(ref r, children.Count, 2, "longest_prefix_children");
                    children.Add(DecodeElement(ReadMessage(ref r, field, wire)));
                    break;
                case 4: membership = DecodeMembership(ReadMessage(ref r, field, wire), limits); break;
                default: r.UnknownField(field); break;
            }
        }

        if (children.Count != 2)
        {
            throw new MalformedInputException($"NonMembershipProof.longest_prefix_children has {children.Count} elements, not 2.");
        }

        return new NonMembershipProof(
            Require(label, "NonMembershipProof.label"),
            Require(prefix, "NonMembershipProof.longest_prefix"),
            children[0],
            children[1],
            Require(membership, "NonMembershipProof.longest_prefix_membership_proof"));
    }

    private static UpdateProof DecodeUpdate(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var r = new ProtoReader(data, "UpdateProof");
        ulong? epoch = null, version = null;
        byte[]? value = null, exVrf = null, prevVrf = null, nonce = null;
        MembershipProof? exProof = null, prevProof = null;
        while (r.TryReadTag(out var field, out var wire))
        {
            r.CheckOrder(field, repeated: false);
            switch (field)
            {
                case 1: r.ExpectWireType(field, wire, ProtoReader.WireVarint); epoch = r.ReadVarint(); break;
                case 2: r.ExpectWireType(field, wire, ProtoReader.WireLengthDelimited); value = r.ReadBytes(limits.MaxValueLength).ToArray(); break;
                case 3: r.ExpectWireType(field, wire, ProtoReader.WireVarint); version = r.ReadVarint(); break;
                case 4: exVrf = ReadVrfProof(ref r, field, wire); break;
                case 5: exProof = DecodeMembership(ReadMessage(ref r, field, wire), limits); break;
                case 6: prevVrf = ReadVrfProof(ref r, field, wire); break;
                case 7: prevProof = DecodeMembership(ReadMessage(ref r, field, wire), limits); break;
                case 8: nonce = ReadNonce(ref r, field, wire); break;
                default: r.UnknownField(field); break;
            }
        }

        if ((prevVrf is null) != (prevProof is null))
        {
            throw new MalformedInputException("UpdateProof has only one of previous_version_vrf_proof and previous_version_proof.");
        }

        return new UpdateProof(
            Require(epoch, "UpdateProof.epoch"),
            Require(value, "UpdateProof.value"),
            Require(version, "UpdateProof.version"),
            Require(exVrf, "UpdateProof.existence_vrf_proof"),
            Require(exProof, "UpdateProof.existence_proof"),
            PreviousVrf(prevVrf),
            prevProof,
            Require(nonce, "UpdateProof.commitment_nonce"));
    }

    // Spelled out: a null byte[] converts implicitly to an empty (not absent) ReadOnlyMemory.
    private static ReadOnlyMemory<byte>? PreviousVrf(byte[]? proof)
    {
        if (proof is null)
        {
            return null;
        }

        return proof;
    }

    private static ReadOnlySpan<byte> ReadMessage(ref ProtoReader r, int field, int wire)
    {
        r.ExpectWireType(field, wire, ProtoReader.WireLengthDelimited);
        return r.ReadBytes(int.MaxValue);
    }

    private static byte[] ReadVrfProof(ref ProtoReader r, int field, int wire)
    {
        r.ExpectWireType(field, wire, ProtoReader.WireLengthDelimited);
        var bytes = r.ReadBytes(VrfProofLength);
        if (bytes.Length != VrfProofLength)
        {
            r.Throw($"VRF proof in field {field} is {bytes.Length} bytes, not {VrfProofLength}");
        }

        return bytes.ToArray();
    }

    private static byte[] ReadNonce(ref ProtoReader r, int field, int wire)
    {
        r.ExpectWireType(field, wire, ProtoReader.WireLengthDelimited);
        var bytes = r.ReadBytes(CommitmentNonceLength);
        if (bytes.Length != CommitmentNonceLength)
        {
            r.Throw($"commitment nonce is {bytes.Length} bytes, not {CommitmentNonceLength}");
        }

        return bytes.ToArray();
    }

    private static Digest ReadDigest(ref ProtoReader r, int field, int wire)
    {
        r.ExpectWireType(field, wire, ProtoReader.WireLengthDelimited);
        var bytes = r.ReadBytes(Digest.Length);
        if (bytes.Length != Digest.Length)
        {
            r.Throw($"digest in field {field} is {bytes.Length} bytes, not {Digest.Length}");
        }

        return new Digest(bytes);
    }

    private static void Bound(ref ProtoReader r, int count, int max, string what)
    {
        if (count >= max)
        {
            r.Throw($"more than {max} {what}");
        }
    }

    private static T Require<T>(T? value, string name)
        where T : class =>
        value ?? throw new MalformedInputException($"{name} is missing.");

    private static T Require<T>(T? value, string name)
        where T : struct =>
        value ?? throw new MalformedInputException($"{name} is missing.");

    // ---------------------------------------------------------------- encoding

    /// <summary>Encodes a <c>LookupProof</c> canonically.</summary>
    public static byte[] Encode(LookupProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var w = new ProtoWriter();
        w.WriteVarintField(1, proof.Epoch);
        w.WriteBytesField(2, proof.Value.Span);
        w.WriteVarintField(3, proof.Version);
        w.WriteBytesField(4, proof.ExistenceVrfProof.Span);
        w.WriteMessageField(5, x => WriteMembership(x, proof.ExistenceProof));
        w.WriteBytesField(6, proof.MarkerVrfProof.Span);
        w.WriteMessageField(7, x => WriteMembership(x, proof.MarkerProof));
        w.WriteBytesField(8, proof.FreshnessVrfProof.Span);
        w.WriteMessageField(9, x => WriteNonMembership(x, proof.FreshnessProof));
        w.WriteBytesField(10, proof.CommitmentNonce.Span);
        return w.ToArray();
    }

    /// <summary>Encodes a <c>HistoryProof</c> canonically.</summary>
    public static byte[] Encode(HistoryProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var w = new ProtoWriter();
        foreach (var u in proof.UpdateProofs)
        {
            w.WriteMessageField(1, x => WriteUpdate(x, u));
        }

        foreach (var v in proof.PastMarkerVrfProofs)
        {
            w.WriteBytesField(2, v.Span);
        }

        foreach (var m in proof.ExistenceOfPastMarkerProofs)
        {
            w.WriteMessageField(3, x => WriteMembership(x, m));
        }

        foreach (var v in proof.FutureMarkerVrfProofs)
        {
            w.WriteBytesField(4, v.Span);
        }

        foreach (var n in proof.NonExistenceOfFutureMarkerProofs)
        {
            w.WriteMessageField(5, x => WriteNonMembership(x, n));
        }

        return w.ToArray();
    }

    /// <summary>Encodes a <c>SingleAppendOnlyProof</c> canonically.</summary>
    public static byte[] Encode(SingleAppendOnlyProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var w = new ProtoWriter();
        WriteSingleAppendOnly(w, proof);
        return w.ToArray();
    }

    /// <summary>Encodes an <c>AppendOnlyProof</c> canonically.</summary>
    public static byte[] Encode(AppendOnlyProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var w = new ProtoWriter();
        foreach (var p in proof.Proofs)
        {
            w.WriteMessageField(1, x => WriteSingleAppendOnly(x, p));
        }

        foreach (var e in proof.Epochs)
        {
            w.WriteVarintField(2, e);
        }

        return w.ToArray();
    }

    /// <summary>Encodes a <c>MembershipProof</c> canonically.</summary>
    public static byte[] Encode(MembershipProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var w = new ProtoWriter();
        WriteMembership(w, proof);
        return w.ToArray();
    }

    /// <summary>Encodes an <c>AzksElement</c> canonically.</summary>
    public static byte[] Encode(AzksElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var w = new ProtoWriter();
        WriteElement(w, element);
        return w.ToArray();
    }

    private static void WriteSingleAppendOnly(ProtoWriter w, SingleAppendOnlyProof proof)
    {
        foreach (var e in proof.Inserted)
        {
            w.WriteMessageField(1, x => WriteElement(x, e));
        }

        foreach (var e in proof.UnchangedNodes)
        {
            w.WriteMessageField(2, x => WriteElement(x, e));
        }
    }

    internal static void WriteLabel(ProtoWriter w, NodeLabel label)
    {
        Span<byte> value = stackalloc byte[NodeLabel.ValueLength];
        label.WriteValue(value);
        var end = value.LastIndexOfAnyExcept((byte)0) + 1;
        w.WriteBytesField(1, value[..end]);
        w.WriteVarintField(2, (ulong)label.BitLength);
    }

    internal static void WriteElement(ProtoWriter w, AzksElement element)
    {
        w.WriteMessageField(1, x => WriteLabel(x, element.Label));
        Span<byte> value = stackalloc byte[Digest.Length];
        element.Value.CopyTo(value);
        w.WriteBytesField(2, value);
    }

    private static void WriteMembership(ProtoWriter w, MembershipProof proof)
    {
        w.WriteMessageField(1, x => WriteLabel(x, proof.Label));
        Span<byte> hash = stackalloc byte[Digest.Length];
        proof.HashValue.CopyTo(hash);
        w.WriteBytesField(2, hash);
        foreach (var s in proof.SiblingProofs)
        {
            w.WriteMessageField(3, x =>
            {
                x.WriteMessageField(1, y => WriteLabel(y, s.Label));
                x.WriteMessageField(2, y => WriteElement(y, s.Sibling));
                x.WriteVarintField(3, (ulong)s.Direction);
            });
        }
    }

    private static void WriteNonMembership(ProtoWriter w, NonMembershipProof proof)
    {
        w.WriteMessageField(1, x => WriteLabel(x, proof.Label));
        w.WriteMessageField(2, x => WriteLabel(x, proof.LongestPrefix));
        w.WriteMessageField(3, x => WriteElement(x, proof.LeftChild));
        w.WriteMessageField(3, x => WriteElement(x, proof.RightChild));
        w.WriteMessageField(4, x => WriteMembership(x, proof.LongestPrefixMembershipProof));
    }

    private static void WriteUpdate(ProtoWriter w, UpdateProof u)
    {
        w.WriteVarintField(1, u.Epoch);
        w.WriteBytesField(2, u.Value.Span);
        w.WriteVarintField(3, u.Version);
        w.WriteBytesField(4, u.ExistenceVrfProof.Span);
        w.WriteMessageField(5, x => WriteMembership(x, u.ExistenceProof));
        if (u.PreviousVersionVrfProof is { } prevVrf)
        {
            w.WriteBytesField(6, prevVrf.Span);
        }

        if (u.PreviousVersionProof is { } prevProof)
        {
            w.WriteMessageField(7, x => WriteMembership(x, prevProof));
        }

        w.WriteBytesField(8, u.CommitmentNonce.Span);
    }
}
