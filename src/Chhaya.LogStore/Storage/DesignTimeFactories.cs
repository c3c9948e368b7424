// SPDX-License-Identifier: AGPL-3.0-or-later
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Chhaya.LogStore.Storage;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteLogStoreContext</c> build the model without a running node.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLogStoreContext>
{
    public SqliteLogStoreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteLogStoreContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresLogStoreContext</c> build the model; it never connects.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLogStoreContext>
{
    public PostgresLogStoreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresLogStoreContext>().UseNpgsql("Host=localhost;Database=chhaya_design").Options);
}
