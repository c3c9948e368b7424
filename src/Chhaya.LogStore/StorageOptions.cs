// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.LogStore;

/// <summary>
/// Where the history lives. Bound from the <c>Storage</c> configuration section
/// (environment: <c>CHHAYA__STORAGE__POSTGRESCONNECTIONSTRING</c>, …).
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Storage";

    /// <summary>
    /// A Npgsql connection string. When set, the history is kept in PostgreSQL; otherwise in the
    /// embedded SQLite file.
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The SQLite file; defaults to <c>chhaya.db</c> in the node's data directory.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>Whether pending migrations are applied when the node starts (default true).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>The provider these options select.</summary>
    public StorageProvider Provider => string.IsNullOrWhiteSpace(PostgresConnectionString) ? StorageProvider.Sqlite : StorageProvider.Postgres;
}

/// <summary>The supported database engines.</summary>
public enum StorageProvider
{
    /// <summary>The embedded SQLite file (default).</summary>
    Sqlite,

    /// <summary>PostgreSQL (production).</summary>
    Postgres,
}
