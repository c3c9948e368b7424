// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>A key directory this node follows (or runs), as registered; later registrations of the same id supersede earlier ones.</summary>
public sealed class DirectoryRecord : HistoryRecord
{
    /// <summary>Hex directory id.</summary>
    public string DirectoryId { get; set; } = "";

    /// <summary>Human-readable name.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Tree configuration, e.g. <c>whatsapp_v1</c>, <c>experimental</c> or <c>chhaya_v1</c>.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Ed25519 key that signs epoch heads.</summary>
    public byte[] HeadPublicKey { get; set; } = [];

    /// <summary>ECVRF public key for leaf positions.</summary>
    public byte[] VrfPublicKey { get; set; } = [];

    /// <summary>Encoded witness set (keys, proofs of possession, threshold), if known.</summary>
    public string? QuorumDescriptor { get; set; }

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(DirectoryId);
        hasher.Add(DisplayName);
        hasher.Add(Configuration);
        hasher.Add(HeadPublicKey);
        hasher.Add(VrfPublicKey);
        hasher.Add(QuorumDescriptor);
    }
}
