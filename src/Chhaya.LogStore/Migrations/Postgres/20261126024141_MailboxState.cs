using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chhaya.LogStore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MailboxState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mailbox_envelopes",
                columns: table => new
                {
                    mailbox_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recipient_tag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    stored_at_unix_ms = table.Column<long>(type: "bigint", nullable: false),
                    envelope = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mailbox_envelopes", x => new { x.mailbox_id, x.recipient_tag, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "mailbox_recipients",
                columns: table => new
                {
                    mailbox_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recipient_tag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    next_sequence = table.Column<long>(type: "bigint", nullable: false),
                    last_collect_unix_ms = table.Column<long>(type: "bigint", nullable: false),
                    last_seen_unix_ms = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mailbox_recipients", x => new { x.mailbox_id, x.recipient_tag });
                });

            migrationBuilder.CreateIndex(
                name: "IX_mailbox_envelopes_mailbox_id_stored_at_unix_ms",
                table: "mailbox_envelopes",
                columns: new[] { "mailbox_id", "stored_at_unix_ms" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mailbox_envelopes");

            migrationBuilder.DropTable(
                name: "mailbox_recipients");
        }
    }
}
