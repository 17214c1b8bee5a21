using DarwinGrid.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>The result store contract on a SQLite file.</summary>
public sealed class SqliteResultStoreTests : ResultStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();

    protected override IResultStore OpenStore() => new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = _database.FilePath });

    protected override Task CreateVersionOneDatabaseAsync(string seedSql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.FilePath}");
        connection.Open();
        SchemaMigrator.Migrate(connection, ResultStoreSchema.Component, [ResultStoreSchema.Migrations[0]]);
        SqliteDatabase.Execute(connection, seedSql);
        return Task.CompletedTask;
    }

    protected override Task<int> ResultsSchemaVersionAsync()
    {
        using var connection = new SqliteConnection($"Data Source={_database.FilePath}");
        connection.Open();
        return Task.FromResult(SchemaMigrator.ReadVersion(connection, null, ResultStoreSchema.Component));
    }

    public void Dispose() => _database.Dispose();
}
