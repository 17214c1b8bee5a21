using DarwinGrid.Grains.Storage;
using Orleans.Runtime;

namespace DarwinGrid.Grains.Tests.Storage;

[Alias("DarwinGrid.Tests.IPersistentCounterGrain")]
public interface IPersistentCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one, writes both states, records a candidate in the results store; returns the count and the silo.</summary>
    [Alias("Increment")] Task<(int Count, string Silo)> IncrementAsync();

    [Alias("Get")] Task<(int Count, IReadOnlyList<string> Silos)> GetAsync();
}

public sealed class CounterGrainState
{
    public int Count { get; set; }
}

public sealed class SiloLogState
{
    public List<string> Silos { get; set; } = [];
}

/// <summary>A grain with one state in a named SQLite provider and one in the default provider.</summary>
public sealed class PersistentCounterGrain(
    [PersistentState("count", GrainStorageClusterTests.ProviderName)] IPersistentState<CounterGrainState> count,
    [PersistentState("silos")] IPersistentState<SiloLogState> silos,
    ILocalSiloDetails silo,
    IResultStore results) : Grain, IPersistentCounterGrain
{
    public async Task<(int Count, string Silo)> IncrementAsync()
    {
        count.State.Count++;
        silos.State.Silos.Add(silo.SiloAddress.ToString());
        await count.WriteStateAsync();
        await silos.WriteStateAsync();
        await results.AppendCandidatesAsync(this.GetPrimaryKeyString(), [new CandidateRow(count.State.Count, "increment", "NaCl")]);
        return (count.State.Count, silo.SiloAddress.ToString());
    }

    public Task<(int Count, IReadOnlyList<string> Silos)> GetAsync() =>
        Task.FromResult<(int, IReadOnlyList<string>)>((count.State.Count, silos.State.Silos.ToList()));
}
