using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport;
using DarwinGrid.TestSupport.Servers;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>The result store contract on PostgreSQL (a fresh database per test), plus what only a server shows.</summary>
[Collection(PostgresCollection.Name)]
[RequiresServers(ExternalServer.PostgreSql)]
[Trait("Category", TestCategories.Integration)]
public sealed class PostgreSqlResultStoreTests(PostgresFixture postgres) : ResultStoreContract, IAsyncLifetime
{
    private string? _connectionString;

    private string ConnectionString => _connectionString ?? throw new InvalidOperationException("No database yet.");

    protected override IResultStore OpenStore() =>
        new PostgreSqlResultStore(new PostgreSqlResultStoreOptions { ConnectionString = ConnectionString, WriteBatchSize = 700 });

    public async Task InitializeAsync()
    {
        if (PostgresServer.MissingReason is null)
            _connectionString = await postgres.Server.CreateDatabaseAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [ServerFact]
    public async Task SchemaIsVersionedAndStartersRacingEachOtherApplyItOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => OpenStore().InitializeAsync()));
        var database = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        Assert.Equal("2", (await postgres.Server.QueryAsync(database, "SELECT version FROM schema_versions WHERE component = 'results';")).Trim());
    }

    [ServerFact]
    public async Task ANewerSchemaThanTheBuildKnowsIsRefused()
    {
        await OpenStore().InitializeAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await postgres.Server.QueryAsync(database, "UPDATE schema_versions SET version = 99 WHERE component = 'results';");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStore().InitializeAsync());
        Assert.Contains("99", error.Message);
    }

    [ServerFact]
    public async Task AnUnreachableServerFailsAfterTheRetryWindowNamingTheDatabase()
    {
        var store = new PostgreSqlResultStore(new PostgreSqlResultStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=nowhere",
            TransientRetryWindow = TimeSpan.FromSeconds(1),
        });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StorageException>(() => store.CountCandidatesAsync("c1"));
        Assert.Contains("/nowhere", error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));
    }

    [ServerFact]
    public void OptionsNeedAConnectionStringWithAHost()
    {
        Assert.Contains("not set", Assert.Throws<InvalidOperationException>(() => new PostgreSqlResultStoreOptions().BuildConnectionString()).Message);
        Assert.Contains("Host", Assert.Throws<InvalidOperationException>(() =>
            new PostgreSqlResultStoreOptions { ConnectionString = "Database=x" }.BuildConnectionString()).Message);
        Assert.Contains("not valid", Assert.Throws<InvalidOperationException>(() =>
            new PostgreSqlResultStoreOptions { ConnectionString = "Hots=x" }.BuildConnectionString()).Message);
    }

    [ServerFact]
    public async Task UpsertsRideOutAServerRestartAndStoreEveryRowOnce()
    {
        var campaign = new SyntheticCampaign(3000, seed: 9);
        await Store.AppendCandidatesAsync("c1", campaign.Candidates);
        var writing = Task.Run(async () =>
        {
            foreach (var chunk in campaign.Results.Chunk(200))
            {
                await Store.UpsertResultsAsync("c1", chunk);
                await Task.Delay(20);
            }
        });
        await Task.Delay(300);
        await postgres.Server.StopAsync(immediate: true);
        await Task.Delay(1000);
        await postgres.Server.StartAgainAsync();
        await writing.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(campaign.Results.Count, await Store.CountResultRowsAsync("c1"));
        Assert.Empty(await Store.FindDuplicateResultKeysAsync("c1"));
    }
}
