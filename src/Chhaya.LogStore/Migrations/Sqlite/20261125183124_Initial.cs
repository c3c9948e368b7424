using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chhaya.LogStore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    severity = table.Column<string>(type: "TEXT", nullable: false),
                    directory_id = table.Column<string>(type: "TEXT", nullable: true),
                    message = table.Column<string>(type: "TEXT", nullable: false),
                    evidence_sequence = table.Column<long>(type: "INTEGER", nullable: true),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alerts", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "audit_results",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    directory_id = table.Column<string>(type: "TEXT", nullable: false),
                    from_epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    to_epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    from_root = table.Column<byte[]>(type: "BLOB", nullable: false),
                    to_root = table.Column<byte[]>(type: "BLOB", nullable: false),
                    verdict = table.Column<string>(type: "TEXT", nullable: false),
                    failure = table.Column<string>(type: "TEXT", nullable: true),
                    proof = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_results", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "cosignatures",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    directory_id = table.Column<string>(type: "TEXT", nullable: false),
                    epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    root = table.Column<byte[]>(type: "BLOB", nullable: false),
                    witness_public_key = table.Column<byte[]>(type: "BLOB", nullable: false),
                    signature = table.Column<byte[]>(type: "BLOB", nullable: false),
                    signed_head = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cosignatures", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "delivery_receipts",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    message_id = table.Column<string>(type: "TEXT", nullable: false),
                    peer_id = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    receipt = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_delivery_receipts", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "directories",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    directory_id = table.Column<string>(type: "TEXT", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", nullable: false),
                    configuration = table.Column<string>(type: "TEXT", nullable: false),
                    head_public_key = table.Column<byte[]>(type: "BLOB", nullable: false),
                    vrf_public_key = table.Column<byte[]>(type: "BLOB", nullable: false),
                    quorum_descriptor = table.Column<string>(type: "TEXT", nullable: true),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_directories", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "epoch_heads",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    directory_id = table.Column<string>(type: "TEXT", nullable: false),
                    epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    root = table.Column<byte[]>(type: "BLOB", nullable: false),
                    previous_root = table.Column<byte[]>(type: "BLOB", nullable: false),
                    head_timestamp_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    signed_head = table.Column<byte[]>(type: "BLOB", nullable: false),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_epoch_heads", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "equivocation_evidence",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    directory_id = table.Column<string>(type: "TEXT", nullable: false),
                    epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    summary = table.Column<string>(type: "TEXT", nullable: false),
                    evidence = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_equivocation_evidence", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "quorum_certificates",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    directory_id = table.Column<string>(type: "TEXT", nullable: false),
                    epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    root = table.Column<byte[]>(type: "BLOB", nullable: false),
                    signer_bitmap = table.Column<byte[]>(type: "BLOB", nullable: false),
                    aggregate_signature = table.Column<byte[]>(type: "BLOB", nullable: false),
                    certificate = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quorum_certificates", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "ratchet_states",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    session_id = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    encrypted_state = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ratchet_states", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "signatures",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    purpose = table.Column<string>(type: "TEXT", nullable: false),
                    signer_public_key = table.Column<byte[]>(type: "BLOB", nullable: false),
                    message = table.Column<byte[]>(type: "BLOB", nullable: false),
                    signature = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recorded_at_unix_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    record_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signatures", x => x.sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_results_directory_id_to_epoch",
                table: "audit_results",
                columns: new[] { "directory_id", "to_epoch" });

            migrationBuilder.CreateIndex(
                name: "IX_cosignatures_directory_id_epoch",
                table: "cosignatures",
                columns: new[] { "directory_id", "epoch" });

            migrationBuilder.CreateIndex(
                name: "IX_delivery_receipts_message_id",
                table: "delivery_receipts",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "IX_directories_directory_id",
                table: "directories",
                column: "directory_id");

            migrationBuilder.CreateIndex(
                name: "IX_epoch_heads_directory_id_epoch",
                table: "epoch_heads",
                columns: new[] { "directory_id", "epoch" });

            migrationBuilder.CreateIndex(
                name: "IX_equivocation_evidence_directory_id_epoch",
                table: "equivocation_evidence",
                columns: new[] { "directory_id", "epoch" });

            migrationBuilder.CreateIndex(
                name: "IX_quorum_certificates_directory_id_epoch",
                table: "quorum_certificates",
                columns: new[] { "directory_id", "epoch" });

            migrationBuilder.CreateIndex(
                name: "IX_ratchet_states_session_id_version",
                table: "ratchet_states",
                columns: new[] { "session_id", "version" });

            // History tables refuse UPDATE and DELETE in the database itself.
            Chhaya.LogStore.Storage.AppendOnlyTriggers.Install(migrationBuilder,
                "directories", "epoch_heads", "audit_results", "cosignatures", "quorum_certificates",
                "equivocation_evidence", "alerts", "ratchet_states", "signatures", "delivery_receipts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropTable(
                name: "audit_results");

            migrationBuilder.DropTable(
                name: "cosignatures");

            migrationBuilder.DropTable(
                name: "delivery_receipts");

            migrationBuilder.DropTable(
                name: "directories");

            migrationBuilder.DropTable(
                name: "epoch_heads");

            migrationBuilder.DropTable(
                name: "equivocation_evidence");

            migrationBuilder.DropTable(
                name: "quorum_certificates");

            migrationBuilder.DropTable(
                name: "ratchet_states");

            migrationBuilder.DropTable(
                name: "signatures");
        }
    }
}
