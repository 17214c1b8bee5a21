using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport;
using DarwinGrid.TestSupport.Servers;

namespace DarwinGrid.Grains.Tests.Storage;

public sealed class SqliteQueryCampaign : StoredQueryCampaign
{
    private readonly TempDatabase _database = new();

    protected override Task<IResultStore?> OpenStoreAsync() =>
        Task.FromResult<IResultStore?>(new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = _database.FilePath }));

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The query contract on SQLite.</summary>
public sealed class SqliteResultQueryTests(SqliteQueryCampaign fixture) : ResultQueryContract(fixture), IClassFixture<SqliteQueryCampaign>;

public sealed class PostgreSqlQueryCampaign : StoredQueryCampaign
{
    private PostgresServer? _server;

    protected override async Task<IResultStore?> OpenStoreAsync()
    {
        if (PostgresServer.MissingReason is not null)
            return null;
        _server = await PostgresServer.StartAsync();
        return new PostgreSqlResultStore(new PostgreSqlResultStoreOptions { ConnectionString = await _server.CreateDatabaseAsync() });
    }

    public override async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

/// <summary>The query contract on PostgreSQL (its own server: class fixtures cannot share the collection's).</summary>
[RequiresServers(ExternalServer.PostgreSql)]
[Trait("Category", TestCategories.Integration)]
public sealed class PostgreSqlResultQueryTests(PostgreSqlQueryCampaign fixture) : ResultQueryContract(fixture), IClassFixture<PostgreSqlQueryCampaign>;
