using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>The result store contract on a SQLite file.</summary>
public sealed class SqliteResultStoreTests : ResultStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();

    protected override IResultStore OpenStore() => new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = _database.FilePath });

    public void Dispose() => _database.Dispose();
}
