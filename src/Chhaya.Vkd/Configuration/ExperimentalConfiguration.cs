// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using Chhaya.Vkd.Core;

namespace Chhaya.Vkd.Configuration;

/// <summary>
/// AKD's <c>ExperimentalConfiguration&lt;L&gt;</c> (<c>akd_core/src/configuration/experimental.rs</c>):
/// H(x) = BLAKE3-256(L ‖ x) with an application domain label L (no length prefix); labels enter
/// hashes raw as <c>u32be(len) ‖ value</c>; a parent is <c>H(lv ‖ ll ‖ rv ‖ rl)</c>; the published root
/// is the root value itself; empty values are 32 zero bytes.
/// </summary>
public sealed class ExperimentalConfiguration : VkdConfiguration
{
    /// <summary>Longest accepted domain label.</summary>
    public const int MaxDomainLabelLength = 256;

    private readonly byte[] _domainLabel;
    private readonly NodeLabel _emptyLabel;

    /// <summary>A suite with the given domain label (AKD's test vectors use ASCII <c>ExampleLabel</c>).</summary>
    /// <exception cref="ArgumentException">The label is empty or over <see cref="MaxDomainLabelLength"/> bytes.</exception>
    public ExperimentalConfiguration(ReadOnlySpan<byte> domainLabel)
    {
        Guard.MaxLength(domainLabel.Length, MaxDomainLabelLength, nameof(domainLabel));
        if (domainLabel.IsEmpty)
        {
            throw new ArgumentException("The domain label must not be empty.", nameof(domainLabel));
        }

        _domainLabel = domainLabel.ToArray();
        Span<byte> value = stackalloc byte[NodeLabel.ValueLength];
        value[0] = 1;
        _emptyLabel = new NodeLabel(value, 0);
    }

    /// <summary>AKD's <c>ExampleLabel</c> domain, used by its published vectors (not for production).</summary>
    public static ExperimentalConfiguration Example { get; } = new("ExampleLabel"u8);

    /// <summary>The domain label bytes.</summary>
    public ReadOnlySpan<byte> DomainLabel => _domainLabel;

    public override string Name => "experimental";

    public override Digest EmptyRootValue => default;

    public override Digest EmptyNodeHash => default;

    public override Digest StaleValue => default;

    public override NodeLabel EmptyLabel => _emptyLabel;

    public override Digest Hash(ReadOnlySpan<byte> data) => Blake3Hash.Hash(_domainLabel, data);

    public override Digest ParentHash(in Digest leftValue, in NodeLabel leftLabel, in Digest rightValue, in NodeLabel rightLabel)
    {
        const int Half = Digest.Length + NodeLabel.SerializedLength;
        Span<byte> data = stackalloc byte[2 * Half];
        leftValue.CopyTo(data);
        leftLabel.WriteSerialized(data[Digest.Length..]);
        rightValue.CopyTo(data[Half..]);
        rightLabel.WriteSerialized(data[(Half + Digest.Length)..]);
        return Hash(data);
    }

    public override Digest RootHash(in Digest rootValue) => rootValue;

    public override Digest CommitmentNonce(ReadOnlySpan<byte> commitmentKey, in NodeLabel label, ulong version, ReadOnlySpan<byte> value)
    {
        Guard.MaxLength(commitmentKey.Length, 1024, nameof(commitmentKey));
        Span<byte> serialized = stackalloc byte[NodeLabel.SerializedLength];
        label.WriteSerialized(serialized);
        return Blake3Hash.Hash(_domainLabel, commitmentKey, serialized);
    }
}
