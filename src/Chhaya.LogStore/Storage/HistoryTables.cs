// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.LogStore.Records;

namespace Chhaya.LogStore.Storage;

/// <summary>
/// The append-only history tables: one place that names each record type's table, used by the model,
/// the append-only triggers, the chain hashes and the verifier alike.
/// </summary>
public static class HistoryTables
{
    /// <summary>Record type to table name, in a fixed order.</summary>
    public static IReadOnlyList<(Type RecordType, string Table)> All { get; } =
    [
        (typeof(DirectoryRecord), "directories"),
        (typeof(EpochHeadRecord), "epoch_heads"),
        (typeof(AuditResultRecord), "audit_results"),
        (typeof(CoSignatureRecord), "cosignatures"),
        (typeof(QuorumCertificateRecord), "quorum_certificates"),
        (typeof(EquivocationEvidenceRecord), "equivocation_evidence"),
        (typeof(AlertRecord), "alerts"),
        (typeof(RatchetStateRecord), "ratchet_states"),
        (typeof(SignatureRecord), "signatures"),
        (typeof(DeliveryReceiptRecord), "delivery_receipts"),
    ];

    /// <summary>The table that holds records of type <paramref name="recordType"/>.</summary>
    /// <exception cref="ArgumentException">The type is not a history record.</exception>
    public static string TableOf(Type recordType)
    {
        foreach (var (type, table) in All)
        {
            if (type == recordType)
            {
                return table;
            }
        }

        throw new ArgumentException($"{recordType.Name} is not a history record type.", nameof(recordType));
    }
}
