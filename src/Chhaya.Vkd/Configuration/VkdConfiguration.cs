// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers;
using System.Buffers.Binary;
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Configuration;

/// <summary>
/// A hash suite for the directory: how node, leaf, commitment and VRF-input hashes are formed. Mirrors
/// AKD's <c>Configuration</c> trait (<c>akd_core/src/configuration/traits.rs</c>); the formulas shared
/// by every suite live here, what differs is abstract. Add a suite by deriving from this class.
/// </summary>
public abstract class VkdConfiguration
{
    /// <summary>Largest value hashed in one piece; larger values are refused rather than buffered.</summary>
    public const int MaxHashedValueLength = 1 << 20;

    /// <summary>Name of the suite as AKD spells it (<c>whatsapp_v1</c>, <c>experimental</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The value of a root with no children (AKD <c>empty_root_value</c>).</summary>
    public abstract Digest EmptyRootValue { get; }

    /// <summary>The value standing in for a missing child of the root (AKD <c>empty_node_hash</c>).</summary>
    public abstract Digest EmptyNodeHash { get; }

    /// <summary>The commitment of a stale leaf (AKD <c>stale_azks_value</c>).</summary>
    public abstract Digest StaleValue { get; }

    /// <summary>The label standing in for a missing child of the root (AKD <c>empty_label</c>).</summary>
    public abstract NodeLabel EmptyLabel { get; }

    /// <summary>The suite's hash H over a single input.</summary>
    public abstract Digest Hash(ReadOnlySpan<byte> data);

    /// <summary>A parent's value from its children (AKD <c>compute_parent_hash_from_children</c>).</summary>
    public abstract Digest ParentHash(in Digest leftValue, in NodeLabel leftLabel, in Digest rightValue, in NodeLabel rightLabel);

    /// <summary>The published root hash from the root node's value (AKD <c>compute_root_hash_from_val</c>).</summary>
    public abstract Digest RootHash(in Digest rootValue);

    /// <summary>The server-side commitment nonce (AKD <c>get_commitment_nonce</c>).</summary>
    public abstract Digest CommitmentNonce(ReadOnlySpan<byte> commitmentKey, in NodeLabel label, ulong version, ReadOnlySpan<byte> value);

    /// <summary>Longest common prefix with AKD's rule that the empty label absorbs everything.</summary>
    public NodeLabel LongestCommonPrefix(in NodeLabel a, in NodeLabel b)
    {
        var empty = EmptyLabel;
        if (a == empty || b == empty)
        {
            return empty;
        }

        return a.Prefix(a.CommonPrefixLength(b));
    }

    /// <summary>True when a label in a proof is either canonical (no bits past its length) or the suite's empty label.</summary>
    public bool IsWellFormedLabel(in NodeLabel label) => label.IsCanonical || label == EmptyLabel;

    /// <summary>The leaf value: <c>H(commitment ‖ u64be(epoch))</c>.</summary>
    public Digest LeafHash(in Digest commitment, ulong epoch)
    {
        Span<byte> data = stackalloc byte[Digest.Length + 8];
        commitment.CopyTo(data);
        BinaryPrimitives.WriteUInt64BigEndian(data[Digest.Length..], epoch);
        return Hash(data);
    }

    /// <summary>The commitment a client recomputes: <c>H(I2OSP(value) ‖ I2OSP(nonce))</c>, I2OSP = u64be length prefix.</summary>
    /// <exception cref="ArgumentException">The value or nonce is over <see cref="MaxHashedValueLength"/>.</exception>
    public Digest Commitment(ReadOnlySpan<byte> value, ReadOnlySpan<byte> nonce)
    {
        Safety.Guard.MaxLength(value.Length, MaxHashedValueLength, nameof(value));
        Safety.Guard.MaxLength(nonce.Length, MaxHashedValueLength, nameof(nonce));
        var total = 16 + value.Length + nonce.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var data = rented.AsSpan(0, total);
            BinaryPrimitives.WriteUInt64BigEndian(data, (ulong)value.Length);
            value.CopyTo(data[8..]);
            BinaryPrimitives.WriteUInt64BigEndian(data[(8 + value.Length)..], (ulong)nonce.Length);
            nonce.CopyTo(data[(16 + value.Length)..]);
            return Hash(data);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The leaf value computed from an opened commitment.</summary>
    public Digest LeafHashFromValue(ReadOnlySpan<byte> value, ReadOnlySpan<byte> nonce, ulong epoch) =>
        LeafHash(Commitment(value, nonce), epoch);

    /// <summary>The VRF input: <c>H(I2OSP(label) ‖ freshness ‖ u64be(version))</c> (AKD <c>get_hash_from_label_input</c>).</summary>
    /// <exception cref="ArgumentException">The label is over <see cref="MaxHashedValueLength"/>.</exception>
    public Digest VrfAlpha(ReadOnlySpan<byte> akdLabel, VersionFreshness freshness, ulong version)
    {
        Safety.Guard.MaxLength(akdLabel.Length, MaxHashedValueLength, nameof(akdLabel));
        var total = 8 + akdLabel.Length + 1 + 8;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var data = rented.AsSpan(0, total);
            BinaryPrimitives.WriteUInt64BigEndian(data, (ulong)akdLabel.Length);
            akdLabel.CopyTo(data[8..]);
            data[8 + akdLabel.Length] = (byte)freshness;
            BinaryPrimitives.WriteUInt64BigEndian(data[(9 + akdLabel.Length)..], version);
            return Hash(data);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The server's commitment of a fresh value: nonce, then <see cref="Commitment"/>.</summary>
    public Digest FreshCommitment(ReadOnlySpan<byte> commitmentKey, in NodeLabel label, ulong version, ReadOnlySpan<byte> value)
    {
        Span<byte> nonce = stackalloc byte[Digest.Length];
        CommitmentNonce(commitmentKey, label, version, value).CopyTo(nonce);
        return Commitment(value, nonce);
    }

    public override string ToString() => Name;
}
