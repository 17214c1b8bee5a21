using DarwinGrid.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private SqliteGrainStorage NewStorage(Action<SqliteStorageOptions>? configure = null)
    {
        var options = new SqliteStorageOptions { DatabasePath = _database.FilePath };
        configure?.Invoke(options);
        return new SqliteGrainStorage("test", options, NullLogger<SqliteGrainStorage>.Instance);
    }

    private static readonly GrainId Grain = GrainId.Create("campaign", "c-42");

    [Fact]
    public async Task StateRoundTripsThroughANewStorageInstance()
    {
        var state = new GrainState<CounterState>(new CounterState { Count = 7, Name = "Ag2BBr", Tags = ["a", "b"], Ratio = double.NaN });
        await NewStorage().WriteStateAsync("counter", Grain, state);
        Assert.True(state.RecordExists);
        Assert.NotNull(state.ETag);

        var read = new GrainState<CounterState>(new CounterState());
        await NewStorage().ReadStateAsync("counter", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(7, read.State!.Count);
        Assert.Equal("Ag2BBr", read.State!.Name);
        Assert.Equal(["a", "b"], read.State!.Tags);
        Assert.True(double.IsNaN(read.State!.Ratio));
    }

    [Fact]
    public async Task MissingStateReadsAsNoRecord()
    {
        var read = new GrainState<CounterState>(new CounterState { Count = 3 });
        await NewStorage().ReadStateAsync("counter", Grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(3, read.State!.Count);
    }

    [Fact]
    public async Task StaleETagOnWriteThrowsInconsistentState()
    {
        var storage = NewStorage();
        var first = new GrainState<CounterState>(new CounterState { Count = 1 });
        await storage.WriteStateAsync("counter", Grain, first);

        var second = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", Grain, second);
        second.State!.Count = 2;
        await storage.WriteStateAsync("counter", Grain, second);

        first.State!.Count = 99; // first still holds the ETag from before the second write
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", Grain, first));
        Assert.Equal(second.ETag, conflict.StoredEtag);

        var read = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", Grain, read);
        Assert.Equal(2, read.State!.Count);
    }

    [Fact]
    public async Task WriteWithoutETagOverAnExistingRecordIsAConflict()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync("counter", Grain, new GrainState<CounterState>(new CounterState { Count = 1 }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("counter", Grain, new GrainState<CounterState>(new CounterState { Count = 2 })));
    }

    [Fact]
    public async Task WriteWithETagWhenTheRecordIsGoneIsAConflict()
    {
        var storage = NewStorage(o => o.DeleteStateOnClear = true);
        var state = new GrainState<CounterState>(new CounterState { Count = 1 });
        await storage.WriteStateAsync("counter", Grain, state);
        var other = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", Grain, other);
        await storage.ClearStateAsync("counter", Grain, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", Grain, state));
    }

    [Fact]
    public async Task ConcurrentWritersWithTheSameETagExactlyOneWins()
    {
        var storage = NewStorage();
        var seed = new GrainState<CounterState>(new CounterState());
        await storage.WriteStateAsync("counter", Grain, seed);

        var writers = Enumerable.Range(0, 8).Select(i =>
        {
            var copy = new GrainState<CounterState>(new CounterState { Count = i }, seed.ETag);
            return Task.Run(async () =>
            {
                try
                {
                    await storage.WriteStateAsync("counter", Grain, copy);
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            });
        }).ToArray();
        var outcomes = await Task.WhenAll(writers);
        Assert.Equal(1, outcomes.Count(won => won));
    }

    [Fact]
    public async Task ClearKeepsATombstoneSoStaleETagsStayRejected()
    {
        var storage = NewStorage();
        var state = new GrainState<CounterState>(new CounterState { Count = 5 });
        await storage.WriteStateAsync("counter", Grain, state);
        var stale = state.ETag;

        await storage.ClearStateAsync("counter", Grain, state);
        Assert.False(state.RecordExists);
        Assert.NotNull(state.ETag);
        Assert.NotEqual(stale, state.ETag);

        var read = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", Grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(0, read.State!.Count);

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("counter", Grain, new GrainState<CounterState>(new CounterState(), stale)));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.ClearStateAsync("counter", Grain, new GrainState<CounterState>(new CounterState(), stale)));

        read.State!.Count = 6;
        await storage.WriteStateAsync("counter", Grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(1, CountRows());
    }

    [Fact]
    public async Task ClearWithDeleteOnClearRemovesTheRow()
    {
        var storage = NewStorage(o => o.DeleteStateOnClear = true);
        var state = new GrainState<CounterState>(new CounterState { Count = 5 });
        await storage.WriteStateAsync("counter", Grain, state);
        await storage.ClearStateAsync("counter", Grain, state);
        Assert.Null(state.ETag);
        Assert.Equal(0, CountRows());

        // A fresh write after the delete starts a new record.
        await storage.WriteStateAsync("counter", Grain, state);
        Assert.True(state.RecordExists);
        Assert.Equal(1, CountRows());
    }

    [Fact]
    public async Task ClearOfANeverWrittenStateLeavesNoETag()
    {
        var storage = NewStorage();
        var state = new GrainState<CounterState>(new CounterState());
        await storage.ClearStateAsync("counter", Grain, state);
        Assert.Null(state.ETag);
        await storage.WriteStateAsync("counter", Grain, state);
        Assert.True(state.RecordExists);
    }

    [Fact]
    public async Task StatesAreKeyedByStateNameGrainTypeAndGrainId()
    {
        var storage = NewStorage();
        GrainId[] grains = [GrainId.Create("campaign", "a"), GrainId.Create("campaign", "b"), GrainId.Create("task", "a")];
        var value = 0;
        foreach (var grain in grains)
        {
            foreach (var name in (string[])["counter", "other"])
                await storage.WriteStateAsync(name, grain, new GrainState<CounterState>(new CounterState { Count = ++value }));
        }

        value = 0;
        foreach (var grain in grains)
        {
            foreach (var name in (string[])["counter", "other"])
            {
                var read = new GrainState<CounterState>(new CounterState());
                await storage.ReadStateAsync(name, grain, read);
                Assert.Equal(++value, read.State!.Count);
            }
        }
        Assert.Equal(6, CountRows());
    }

    [Fact]
    public async Task RecordsTheStateTypeAndRefusesARenamedTypeUntilMapped()
    {
        await NewStorage().WriteStateAsync("counter", Grain, new GrainState<CounterState>(new CounterState { Count = 4 }));
        Assert.Equal(StateTypeName.Of(typeof(CounterState)), ReadColumn("state_type"));
        Assert.Equal("DarwinGrid.Grains.Tests.Storage.CounterState", ReadColumn("state_type"));

        var renamed = new GrainState<RenamedCounterState>(new RenamedCounterState());
        var error = await Assert.ThrowsAsync<SqliteStorageException>(() => NewStorage().ReadStateAsync("counter", Grain, renamed));
        Assert.Contains("CounterState", error.Message);
        Assert.Contains("RenamedCounterState", error.Message);

        var mapped = NewStorage(o => o.RenamedStateTypes[StateTypeName.Of(typeof(CounterState))] = StateTypeName.Of(typeof(RenamedCounterState)));
        await mapped.ReadStateAsync("counter", Grain, renamed);
        Assert.Equal(4, renamed.State!.Count);
    }

    [Fact]
    public async Task SchemaIsVersionedAndTheFileIsInWalMode()
    {
        await NewStorage().InitializeAsync();
        await NewStorage().InitializeAsync(); // idempotent

        using var connection = new SqliteConnection($"Data Source={_database.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_versions WHERE component = 'grain_state'; ";
        Assert.Equal(1L, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task ANewerSchemaThanTheBuildKnowsIsRefused()
    {
        await NewStorage().InitializeAsync();
        using (var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_versions SET version = 99 WHERE component = 'grain_state';";
            command.ExecuteNonQuery();
        }
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NewStorage().InitializeAsync());
        Assert.Contains("99", error.Message);
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

    private long CountRows() => (long)Scalar("SELECT COUNT(*) FROM grain_state;")!;

    private string? ReadColumn(string column) => Scalar($"SELECT {column} FROM grain_state LIMIT 1;") as string;

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

public sealed class CounterState
{
    public int Count { get; set; }
    public string? Name { get; set; }
    public List<string> Tags { get; set; } = [];
    public double Ratio { get; set; }
}

public sealed class RenamedCounterState
{
    public int Count { get; set; }
}
