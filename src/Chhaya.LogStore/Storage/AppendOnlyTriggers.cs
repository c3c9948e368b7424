// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Chhaya.LogStore.Storage;

/// <summary>
/// Makes the database itself refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on every history table,
/// so that even a hand-written statement in psql or sqlite3 cannot rewrite the audited history.
/// The hash chain catches what a database superuser could still do (disable the trigger, edit the file).
/// </summary>
public static class AppendOnlyTriggers
{
    /// <summary>Message the database returns when a history row is changed.</summary>
    public const string RefusalMessage = "chhaya history tables are append-only";

    /// <summary>The producer's tree tables (append-only, not hash-chained; see <c>DirectoryStateRows</c>).</summary>
    public const string DirectoryEpochsTable = "directory_epochs";

    public const string DirectoryNodesTable = "directory_nodes";

    public const string DirectoryValueStatesTable = "directory_value_states";

    /// <summary>SQL that installs the PostgreSQL triggers on <paramref name="tables"/>.</summary>
    public static string PostgresSql(IEnumerable<string> tables)
    {
        var sql = new StringBuilder();
        sql.AppendLine($$"""
            CREATE OR REPLACE FUNCTION chhaya_reject_mutation() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              RAISE EXCEPTION '{{RefusalMessage}}: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
            END
            $fn$;
            """);
        foreach (var table in tables)
        {
            sql.AppendLine($"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION chhaya_reject_mutation();");
            sql.AppendLine($"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION chhaya_reject_mutation();");
        }

        return sql.ToString();
    }

    /// <summary>SQL that installs the SQLite triggers on <paramref name="tables"/>.</summary>
    public static string SqliteSql(IEnumerable<string> tables)
    {
        var sql = new StringBuilder();
        foreach (var table in tables)
        {
            sql.AppendLine($"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{RefusalMessage}: UPDATE on {table} refused'); END;");
            sql.AppendLine($"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{RefusalMessage}: DELETE on {table} refused'); END;");
        }

        return sql.ToString();
    }

    /// <summary>
    /// Called from the migration that creates <paramref name="tables"/>. Each migration names its own tables,
    /// so that an old migration keeps doing exactly what it did when it was written.
    /// </summary>
    public static void Install(MigrationBuilder migrationBuilder, params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql(PostgresSql(tables));
        }
        else if (migrationBuilder.IsSqlite())
        {
            // SQLite accepts one statement per command in migrations; issue each trigger separately.
            foreach (var statement in SqliteSql(tables).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                migrationBuilder.Sql(statement);
            }
        }
        else
        {
            throw new NotSupportedException($"No append-only triggers for provider {migrationBuilder.ActiveProvider}.");
        }
    }
}
