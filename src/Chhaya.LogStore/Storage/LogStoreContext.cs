// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Chhaya.LogStore.DirectoryState;
using Chhaya.LogStore.Mailbox;
using Chhaya.LogStore.Records;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.LogStore.Storage;

/// <summary>
/// The one EF Core model of the audited history. Each provider has a subclass
/// (<see cref="SqliteLogStoreContext"/>, <see cref="PostgresLogStoreContext"/>) so that each carries its own
/// migrations; the model itself is identical.
/// </summary>
public abstract class LogStoreContext : DbContext
{
    protected LogStoreContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<DirectoryRecord> Directories => Set<DirectoryRecord>();

    public DbSet<EpochHeadRecord> EpochHeads => Set<EpochHeadRecord>();

    public DbSet<AuditResultRecord> AuditResults => Set<AuditResultRecord>();

    public DbSet<CoSignatureRecord> CoSignatures => Set<CoSignatureRecord>();

    public DbSet<QuorumCertificateRecord> QuorumCertificates => Set<QuorumCertificateRecord>();

    public DbSet<EquivocationEvidenceRecord> EquivocationEvidence => Set<EquivocationEvidenceRecord>();

    public DbSet<AlertRecord> Alerts => Set<AlertRecord>();

    public DbSet<RatchetStateRecord> RatchetStates => Set<RatchetStateRecord>();

    public DbSet<SignatureRecord> Signatures => Set<SignatureRecord>();

    public DbSet<DeliveryReceiptRecord> DeliveryReceipts => Set<DeliveryReceiptRecord>();

    public DbSet<DirectoryEpochRow> DirectoryEpochs => Set<DirectoryEpochRow>();

    public DbSet<DirectoryNodeRow> DirectoryNodes => Set<DirectoryNodeRow>();

    public DbSet<DirectoryValueStateRow> DirectoryValueStates => Set<DirectoryValueStateRow>();

    public DbSet<MailboxRecipientRow> MailboxRecipients => Set<MailboxRecipientRow>();

    public DbSet<MailboxEnvelopeRow> MailboxEnvelopes => Set<MailboxEnvelopeRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<DirectoryEpochRow>().ToTable(AppendOnlyTriggers.DirectoryEpochsTable).HasKey(r => new { r.DirectoryKey, r.Epoch });
        modelBuilder.Entity<DirectoryNodeRow>().ToTable(AppendOnlyTriggers.DirectoryNodesTable).HasKey(r => new { r.DirectoryKey, r.Label, r.Epoch });
        modelBuilder.Entity<DirectoryValueStateRow>().ToTable(AppendOnlyTriggers.DirectoryValueStatesTable).HasKey(r => new { r.DirectoryKey, r.Label, r.Version });
        modelBuilder.Entity<DirectoryValueStateRow>().HasIndex(r => new { r.DirectoryKey, r.Epoch });
        foreach (var type in new[] { typeof(DirectoryEpochRow), typeof(DirectoryNodeRow), typeof(DirectoryValueStateRow) })
        {
            modelBuilder.Entity(type).Property(nameof(DirectoryEpochRow.DirectoryKey)).HasMaxLength(200);
        }

        foreach (var (type, table) in HistoryTables.All)
        {
            var entity = modelBuilder.Entity(type);
            entity.ToTable(table);
            entity.HasKey(nameof(HistoryRecord.Sequence));
            // The store assigns sequences itself so that the chain has no gaps; the database must not.
            entity.Property(nameof(HistoryRecord.Sequence)).ValueGeneratedNever();
            entity.Property(nameof(HistoryRecord.PreviousHash)).IsRequired();
            entity.Property(nameof(HistoryRecord.RecordHash)).IsRequired();
        }

        modelBuilder.Entity<DirectoryRecord>().HasIndex(r => r.DirectoryId);
        modelBuilder.Entity<EpochHeadRecord>().HasIndex(r => new { r.DirectoryId, r.Epoch });
        modelBuilder.Entity<AuditResultRecord>().HasIndex(r => new { r.DirectoryId, r.ToEpoch });
        modelBuilder.Entity<CoSignatureRecord>().HasIndex(r => new { r.DirectoryId, r.Epoch });
        modelBuilder.Entity<QuorumCertificateRecord>().HasIndex(r => new { r.DirectoryId, r.Epoch });
        modelBuilder.Entity<EquivocationEvidenceRecord>().HasIndex(r => new { r.DirectoryId, r.Epoch });
        modelBuilder.Entity<RatchetStateRecord>().HasIndex(r => new { r.SessionId, r.Version });
        modelBuilder.Entity<DeliveryReceiptRecord>().HasIndex(r => r.MessageId);
        MailboxModel.Configure(modelBuilder);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                // snake_case columns read naturally in psql and need no quoting.
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    private static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

/// <summary>The model on the embedded SQLite file (the default).</summary>
public sealed class SqliteLogStoreContext(DbContextOptions<SqliteLogStoreContext> options) : LogStoreContext(options);

/// <summary>The model on PostgreSQL (production).</summary>
public sealed class PostgresLogStoreContext(DbContextOptions<PostgresLogStoreContext> options) : LogStoreContext(options);
