using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport;
using DarwinGrid.TestSupport.Servers;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>The grain storage contract on PostgreSQL (a fresh database per test), plus riding out a server restart.</summary>
[Collection(PostgresCollection.Name)]
[RequiresServers(ExternalServer.PostgreSql)]
[Trait("Category", TestCategories.Integration)]
public sealed class PostgreSqlGrainStorageTests(PostgresFixture postgres) : GrainStorageContract, IAsyncLifetime
{
    private string? _database;

    private string Database => _database ?? throw new InvalidOperationException("No database yet.");

    public async Task InitializeAsync()
    {
        if (PostgresServer.MissingReason is null)
        {
            _database = "g" + Guid.NewGuid().ToString("N")[..16];
            await postgres.Server.CreateDatabaseAsync(_database);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected override IGrainStorage NewStorage(Settings settings)
    {
        var options = new PostgreSqlStorageOptions { ConnectionString = postgres.Server.ConnectionString(Database), DeleteStateOnClear = settings.DeleteStateOnClear };
        foreach (var (from, to) in settings.RenamedStateTypes ?? new Dictionary<string, string>())
            options.RenamedStateTypes[from] = to;
        return new PostgreSqlGrainStorage("test", options, NullLogger<PostgreSqlGrainStorage>.Instance);
    }

    protected override Task InitializeAsync(IGrainStorage storage) => ((PostgreSqlGrainStorage)storage).InitializeAsync();

    protected override async Task<long> CountRowsAsync() => long.Parse(await Query("SELECT COUNT(*) FROM grain_state;"), System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task<string?> ReadStateTypeAsync() => await Query("SELECT state_type FROM grain_state LIMIT 1;") is { Length: > 0 } type ? type : null;

    protected override async Task<int> ReadSchemaVersionAsync() =>
        int.Parse(await Query("SELECT version FROM schema_versions WHERE component = 'grain_state';"), System.Globalization.CultureInfo.InvariantCulture);

    protected override Task SetSchemaVersionAsync(int version) => Query($"UPDATE schema_versions SET version = {version} WHERE component = 'grain_state';");

    private async Task<string> Query(string sql) => (await postgres.Server.QueryAsync(Database, sql)).Trim();

    [ServerFact]
    public async Task WritesWaitForACrashedServerToComeBack()
    {
        var storage = NewStorage();
        var grain = GrainId.Create("campaign", "restart");
        var state = new GrainState<CounterState>(new CounterState { Count = 1 });
        await storage.WriteStateAsync("counter", grain, state);

        await postgres.Server.StopAsync(immediate: true);
        state.State!.Count = 2;
        var write = storage.WriteStateAsync("counter", grain, state);
        await Task.Delay(1500);
        Assert.False(write.IsCompleted, "the write finished while the server was down");
        await postgres.Server.StartAgainAsync();
        await write.WaitAsync(TimeSpan.FromSeconds(30));

        var read = new GrainState<CounterState>(new CounterState());
        await NewStorage().ReadStateAsync("counter", grain, read);
        Assert.Equal((2, state.ETag), (read.State!.Count, read.ETag));
    }
}
