// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Hashing;

namespace Chhaya.LogStore.Records;

/// <summary>A delivery receipt for a sent or received message.</summary>
public sealed class DeliveryReceiptRecord : HistoryRecord
{
    /// <summary>Message id.</summary>
    public string MessageId { get; set; } = "";

    /// <summary>Remote peer id.</summary>
    public string PeerId { get; set; } = "";

    /// <summary><c>delivered</c> or <c>read</c>.</summary>
    public string Status { get; set; } = "";

    /// <summary>The receipt as carried on the wire.</summary>
    public byte[] Receipt { get; set; } = [];

    protected internal override void AddContent(RecordHasher hasher)
    {
        hasher.Add(MessageId);
        hasher.Add(PeerId);
        hasher.Add(Status);
        hasher.Add(Receipt);
    }
}
