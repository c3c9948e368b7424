// SPDX-License-Identifier: AGPL-3.0-or-later
using Npgsql;
using Testcontainers.PostgreSql;

namespace Chhaya.Testing;

/// <summary>
/// The real PostgreSQL server that tests run against: the one named by <c>CHHAYA_TEST_POSTGRES</c>
/// (set by <c>scripts/test</c>), else a Testcontainers PostgreSQL when a Docker engine answers, else a
/// failure that says how to provide one. Tests that need PostgreSQL never skip silently.
/// </summary>
public static class PostgresTestServer
{
    /// <summary>Environment variable holding a Npgsql connection string to a server the tests may create databases on.</summary>
    public const string EnvironmentVariable = "CHHAYA_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _serverConnectionString;
    private static PostgreSqlContainer? _container;

    /// <summary>Creates a fresh, empty database and returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var server = await GetServerAsync();
        var prefix = new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        var name = $"chhaya_{prefix}_{Guid.NewGuid():N}"; // at most 60 characters: PostgreSQL allows 63
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
    }

    private static async Task<string> GetServerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_serverConnectionString is not null)
            {
                return _serverConnectionString;
            }

            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return _serverConnectionString = configured;
            }

            if (DockerMayBeRunning())
            {
                _container = new PostgreSqlBuilder("postgres:16-alpine").Build();
                await _container.StartAsync();
                return _serverConnectionString = _container.GetConnectionString();
            }

            throw new InvalidOperationException(
                $"These tests need a real PostgreSQL server and none is available. Run them through scripts/test " +
                $"(it installs and starts a throwaway PostgreSQL), or set {EnvironmentVariable} to a Npgsql connection " +
                "string of a server where the tests may create databases, or start a Docker engine for Testcontainers.");
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool DockerMayBeRunning() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");
}
