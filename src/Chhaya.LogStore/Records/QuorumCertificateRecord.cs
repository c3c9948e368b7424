// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>A quorum certificate: t or more co-signatures on one head aggregated into one signature.</summary>
public sealed class QuorumCertificateRecord : HistoryRecord
{
    /// <summary>Hex directory id.</summary>
    public string DirectoryId { get; set; } = "";

    /// <summary>Epoch number.</summary>
    public long Epoch { get; set; }

    /// <summary>Certified root.</summary>
    public byte[] Root { get; set; } = [];

    /// <summary>Which witnesses of the set signed.</summary>
    public byte[] SignerBitmap { get; set; } = [];

    /// <summary>Aggregate BLS signature.</summary>
    public byte[] AggregateSignature { get; set; } = [];

    /// <summary>The canonical certificate encoding.</summary>
    public byte[] Certificate { get; set; } = [];

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(DirectoryId);
        hasher.Add(Epoch);
        hasher.Add(Root);
        hasher.Add(SignerBitmap);
        hasher.Add(AggregateSignature);
        hasher.Add(Certificate);
    }
}
