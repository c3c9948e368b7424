// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>A witness's BLS co-signature over one epoch head (ours or a peer's).</summary>
public sealed class CoSignatureRecord : HistoryRecord
{
    /// <summary>Hex directory id.</summary>
    public string DirectoryId { get; set; } = "";

    /// <summary>Epoch number.</summary>
    public long Epoch { get; set; }

    /// <summary>Root that was co-signed.</summary>
    public byte[] Root { get; set; } = [];

    /// <summary>The witness's BLS12-381 G1 public key (compressed).</summary>
    public byte[] WitnessPublicKey { get; set; } = [];

    /// <summary>BLS12-381 G2 signature (compressed).</summary>
    public byte[] Signature { get; set; } = [];

    /// <summary>The signed head the co-signature covers.</summary>
    public byte[] SignedHead { get; set; } = [];

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(DirectoryId);
        hasher.Add(Epoch);
        hasher.Add(Root);
        hasher.Add(WitnessPublicKey);
        hasher.Add(Signature);
        hasher.Add(SignedHead);
    }
}
