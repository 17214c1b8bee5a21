using DarwinGrid.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>The grain storage contract on a SQLite file, plus SQLite's own rules (WAL, options).</summary>
public sealed class SqliteGrainStorageTests : GrainStorageContract, IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override IGrainStorage NewStorage(Settings settings)
    {
        var options = new SqliteStorageOptions { DatabasePath = _database.FilePath, DeleteStateOnClear = settings.DeleteStateOnClear };
        foreach (var (from, to) in settings.RenamedStateTypes ?? new Dictionary<string, string>())
            options.RenamedStateTypes[from] = to;
        return new SqliteGrainStorage("test", options, NullLogger<SqliteGrainStorage>.Instance);
    }

    protected override Task InitializeAsync(IGrainStorage storage) => ((SqliteGrainStorage)storage).InitializeAsync();

    protected override Task<long> CountRowsAsync() => Task.FromResult((long)Scalar("SELECT COUNT(*) FROM grain_state;")!);

    protected override Task<string?> ReadStateTypeAsync() => Task.FromResult(Scalar("SELECT state_type FROM grain_state LIMIT 1;") as string);

    protected override Task<int> ReadSchemaVersionAsync() =>
        Task.FromResult((int)(long)Scalar("SELECT version FROM schema_versions WHERE component = 'grain_state';")!);

    protected override Task SetSchemaVersionAsync(int version)
    {
        Scalar($"UPDATE schema_versions SET version = {version} WHERE component = 'grain_state';");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheFileIsInWalMode()
    {
        await InitializeAsync(NewStorage());
        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
    }

    [Fact]
    public void OptionsNeedExactlyOneOfConnectionStringAndPath()
    {
        Assert.Contains("neither", Assert.Throws<InvalidOperationException>(() => new SqliteStorageOptions().BuildConnectionString()).Message);
        Assert.Contains("both", Assert.Throws<InvalidOperationException>(() =>
            new SqliteStorageOptions { DatabasePath = "a.db", ConnectionString = "Data Source=b.db" }.BuildConnectionString()).Message);
        Assert.Contains("in-memory", Assert.Throws<InvalidOperationException>(() =>
            new SqliteStorageOptions { ConnectionString = "Data Source=:memory:" }.BuildConnectionString()).Message);
    }

    [Fact]
    public void StateTypeNamesSpellOutGenericsWithoutAssemblies()
    {
        Assert.Equal("System.Collections.Generic.Dictionary<System.String,System.Int32[]>", StateTypeName.Of(typeof(Dictionary<string, int[]>)));
        Assert.Equal("DarwinGrid.Grains.Tests.Storage.SqliteGrainStorageTests+Nested", StateTypeName.Of(typeof(Nested)));
    }

    private sealed class Nested;

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
