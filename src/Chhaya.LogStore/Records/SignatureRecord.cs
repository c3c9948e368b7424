// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>A signature the node made or checked, kept for accountability.</summary>
public sealed class SignatureRecord : HistoryRecord
{
    /// <summary>What was signed.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>Signer's public key.</summary>
    public byte[] SignerPublicKey { get; set; } = [];

    /// <summary>Signed bytes.</summary>
    public byte[] Message { get; set; } = [];

    /// <summary>Signature bytes.</summary>
    public byte[] Signature { get; set; } = [];

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(Purpose);
        hasher.Add(SignerPublicKey);
        hasher.Add(Message);
        hasher.Add(Signature);
    }
}
