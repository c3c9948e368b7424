using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chhaya.LogStore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DirectoryState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "directory_epochs",
                columns: table => new
                {
                    directory_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    root = table.Column<byte[]>(type: "BLOB", nullable: false),
                    signed_head = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_directory_epochs", x => new { x.directory_key, x.epoch });
                });

            migrationBuilder.CreateTable(
                name: "directory_nodes",
                columns: table => new
                {
                    directory_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    label = table.Column<byte[]>(type: "BLOB", nullable: false),
                    epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_directory_nodes", x => new { x.directory_key, x.label, x.epoch });
                });

            migrationBuilder.CreateTable(
                name: "directory_value_states",
                columns: table => new
                {
                    directory_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    label = table.Column<byte[]>(type: "BLOB", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    value = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_directory_value_states", x => new { x.directory_key, x.label, x.version });
                });

            migrationBuilder.CreateIndex(
                name: "IX_directory_value_states_directory_key_epoch",
                table: "directory_value_states",
                columns: new[] { "directory_key", "epoch" });

            // The producer's tree is append-only too.
            Chhaya.LogStore.Storage.AppendOnlyTriggers.Install(migrationBuilder,
                "directory_epochs", "directory_nodes", "directory_value_states");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "directory_epochs");

            migrationBuilder.DropTable(
                name: "directory_nodes");

            migrationBuilder.DropTable(
                name: "directory_value_states");
        }
    }
}
