using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport.Servers;
using Orleans.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>What every grain storage provider of the project must do, run against each (a subclass per provider).</summary>
public abstract class GrainStorageContract
{
    /// <summary>Storage options a test may change, whatever the provider.</summary>
    protected sealed record Settings(bool DeleteStateOnClear = false, IReadOnlyDictionary<string, string>? RenamedStateTypes = null);

    /// <summary>A new provider instance over the test's database.</summary>
    protected abstract IGrainStorage NewStorage(Settings settings);

    protected IGrainStorage NewStorage() => NewStorage(new Settings());

    /// <summary>Creates the schema as silo start does.</summary>
    protected abstract Task InitializeAsync(IGrainStorage storage);

    protected abstract Task<long> CountRowsAsync();

    /// <summary>The state_type column of the (single) stored row.</summary>
    protected abstract Task<string?> ReadStateTypeAsync();

    protected abstract Task<int> ReadSchemaVersionAsync();

    protected abstract Task SetSchemaVersionAsync(int version);

    private static readonly GrainId Grain = GrainId.Create("campaign", "c-42");

    [ServerFact]
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

    [ServerFact]
    public async Task MissingStateReadsAsNoRecord()
    {
        var read = new GrainState<CounterState>(new CounterState { Count = 3 });
        await NewStorage().ReadStateAsync("counter", Grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(3, read.State!.Count);
    }

    [ServerFact]
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

    [ServerFact]
    public async Task WriteWithoutETagOverAnExistingRecordIsAConflict()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync("counter", Grain, new GrainState<CounterState>(new CounterState { Count = 1 }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("counter", Grain, new GrainState<CounterState>(new CounterState { Count = 2 })));
    }

    [ServerFact]
    public async Task WriteWithETagWhenTheRecordIsGoneIsAConflict()
    {
        var storage = NewStorage(new Settings(DeleteStateOnClear: true));
        var state = new GrainState<CounterState>(new CounterState { Count = 1 });
        await storage.WriteStateAsync("counter", Grain, state);
        var other = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", Grain, other);
        await storage.ClearStateAsync("counter", Grain, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", Grain, state));
    }

    [ServerFact]
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

    [ServerFact]
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
        Assert.Equal(1, await CountRowsAsync());
    }

    [ServerFact]
    public async Task ClearWithDeleteOnClearRemovesTheRow()
    {
        var storage = NewStorage(new Settings(DeleteStateOnClear: true));
        var state = new GrainState<CounterState>(new CounterState { Count = 5 });
        await storage.WriteStateAsync("counter", Grain, state);
        await storage.ClearStateAsync("counter", Grain, state);
        Assert.Null(state.ETag);
        Assert.Equal(0, await CountRowsAsync());

        // A fresh write after the delete starts a new record.
        await storage.WriteStateAsync("counter", Grain, state);
        Assert.True(state.RecordExists);
        Assert.Equal(1, await CountRowsAsync());
    }

    [ServerFact]
    public async Task ClearOfANeverWrittenStateLeavesNoETag()
    {
        var storage = NewStorage();
        var state = new GrainState<CounterState>(new CounterState());
        await storage.ClearStateAsync("counter", Grain, state);
        Assert.Null(state.ETag);
        await storage.WriteStateAsync("counter", Grain, state);
        Assert.True(state.RecordExists);
    }

    [ServerFact]
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
        Assert.Equal(6, await CountRowsAsync());
    }

    [ServerFact]
    public async Task RecordsTheStateTypeAndRefusesARenamedTypeUntilMapped()
    {
        await NewStorage().WriteStateAsync("counter", Grain, new GrainState<CounterState>(new CounterState { Count = 4 }));
        Assert.Equal(StateTypeName.Of(typeof(CounterState)), await ReadStateTypeAsync());
        Assert.Equal("DarwinGrid.Grains.Tests.Storage.CounterState", await ReadStateTypeAsync());

        var renamed = new GrainState<RenamedCounterState>(new RenamedCounterState());
        var error = await Assert.ThrowsAnyAsync<Exception>(() => NewStorage().ReadStateAsync("counter", Grain, renamed));
        Assert.IsType<StorageException>(error);
        Assert.Contains("CounterState", error.Message);
        Assert.Contains("RenamedCounterState", error.Message);

        var mapped = NewStorage(new Settings(RenamedStateTypes: new Dictionary<string, string>
        {
            [StateTypeName.Of(typeof(CounterState))] = StateTypeName.Of(typeof(RenamedCounterState)),
        }));
        await mapped.ReadStateAsync("counter", Grain, renamed);
        Assert.Equal(4, renamed.State!.Count);
    }

    [ServerFact]
    public async Task SchemaIsVersionedAndCreatingItAgainChangesNothing()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => InitializeAsync(NewStorage())));
        await InitializeAsync(NewStorage());
        Assert.Equal(1, await ReadSchemaVersionAsync());
    }

    [ServerFact]
    public async Task ANewerSchemaThanTheBuildKnowsIsRefused()
    {
        await InitializeAsync(NewStorage());
        await SetSchemaVersionAsync(99);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => InitializeAsync(NewStorage()));
        Assert.Contains("99", error.Message);
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
