// SPDX-License-Identifier: AGPL-3.0-or-later
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.LogStore.Storage;

/// <summary>Creates contexts for the provider that <see cref="StorageOptions"/> selects.</summary>
public sealed class LogStoreContextFactory
{
    private readonly StorageOptions _options;
    private readonly DbContextOptions<SqliteLogStoreContext>? _sqlite;
    private readonly DbContextOptions<PostgresLogStoreContext>? _postgres;

    /// <param name="options">Provider choice; for SQLite, <see cref="StorageOptions.SqlitePath"/> must be set.</param>
    /// <exception cref="ArgumentException">SQLite was chosen without a file path.</exception>
    public LogStoreContextFactory(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        if (options.Provider == StorageProvider.Postgres)
        {
            _postgres = new DbContextOptionsBuilder<PostgresLogStoreContext>()
                .UseNpgsql(options.PostgresConnectionString)
                .Options;
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.SqlitePath))
            {
                throw new ArgumentException("Storage:SqlitePath must name the SQLite file when no PostgreSQL connection string is configured.", nameof(options));
            }

            var connection = new SqliteConnectionStringBuilder
            {
                DataSource = options.SqlitePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
            };
            _sqlite = new DbContextOptionsBuilder<SqliteLogStoreContext>()
                .UseSqlite(connection.ToString())
                .Options;
        }
    }

    /// <summary>The provider in use.</summary>
    public StorageProvider Provider => _options.Provider;

    /// <summary>A human description of where the history is kept, without credentials.</summary>
    public string Describe()
    {
        if (_options.Provider == StorageProvider.Sqlite)
        {
            return $"SQLite file {_options.SqlitePath}";
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(_options.PostgresConnectionString);
        return $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}";
    }

    /// <summary>A new context; the caller disposes it.</summary>
    public LogStoreContext Create() =>
        _postgres is not null ? new PostgresLogStoreContext(_postgres) : new SqliteLogStoreContext(_sqlite!);
}
