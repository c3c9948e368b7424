// SPDX-License-Identifier: AGPL-3.0-or-later
using Microsoft.EntityFrameworkCore;

namespace Chhaya.LogStore.Mailbox;

/// <summary>The mailbox tables in the node database (<c>mailbox_recipients</c>, <c>mailbox_envelopes</c>).</summary>
public static class MailboxModel
{
    public const string RecipientsTable = "mailbox_recipients";

    public const string EnvelopesTable = "mailbox_envelopes";

    /// <summary>Longest mailbox id (hex of a peer id of at most 64 bytes, with room to spare).</summary>
    public const int MaxMailboxIdLength = 200;

    /// <summary>A recipient tag in hex.</summary>
    public const int RecipientTagLength = 64;

    internal static void Configure(ModelBuilder modelBuilder)
    {
        var recipients = modelBuilder.Entity<MailboxRecipientRow>();
        recipients.ToTable(RecipientsTable).HasKey(r => new { r.MailboxId, r.RecipientTag });
        recipients.Property(r => r.MailboxId).HasMaxLength(MaxMailboxIdLength);
        recipients.Property(r => r.RecipientTag).HasMaxLength(RecipientTagLength);

        var envelopes = modelBuilder.Entity<MailboxEnvelopeRow>();
        envelopes.ToTable(EnvelopesTable).HasKey(r => new { r.MailboxId, r.RecipientTag, r.Sequence });
        envelopes.Property(r => r.MailboxId).HasMaxLength(MaxMailboxIdLength);
        envelopes.Property(r => r.RecipientTag).HasMaxLength(RecipientTagLength);
        envelopes.Property(r => r.Sequence).ValueGeneratedNever();
        envelopes.HasIndex(r => new { r.MailboxId, r.StoredAtUnixMs });
    }
}
