// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore;
using Chhaya.LogStore.Records;
using Chhaya.Messaging.Conversations;

namespace Chhaya.Messaging.Storage;

/// <summary>
/// Records delivery and read receipts (sent or received) in LogStore's append-only <c>delivery_receipts</c> table:
/// message id (hex), peer (the peer's identity key, hex), status (<c>delivered</c> or <c>read</c>) and the receipt
/// content as carried inside the ratchet message (its plaintext encoding, which holds only message ids).
/// </summary>
public sealed class DeliveryReceiptLog
{
    private readonly HistoryStore _history;

    public DeliveryReceiptLog(HistoryStore history)
    {
        _history = history ?? throw new ArgumentNullException(nameof(history));
    }

    /// <summary>Appends one row per message id named by <paramref name="receipt"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="receipt"/> is not a receipt.</exception>
    public async Task RecordAsync(ReadOnlyMemory<byte> peerIdentityKey, ConversationContent receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var status = receipt.Kind switch
        {
            ContentKind.Delivered => "delivered",
            ContentKind.Read => "read",
            _ => throw new ArgumentException("Only receipts are recorded.", nameof(receipt)),
        };

        var encoded = receipt.Encode();
        var peer = Convert.ToHexStringLower(peerIdentityKey.Span);
        foreach (var id in receipt.ReceiptFor)
        {
            var record = new DeliveryReceiptRecord { MessageId = Convert.ToHexStringLower(id), PeerId = peer, Status = status, Receipt = encoded };
            await _history.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }
}
