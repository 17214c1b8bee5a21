using System.Collections.Immutable;
using DarwinGrid.Grains.GrainSupport;

namespace DarwinGrid.Grains.Training;

/// <summary>The list of training runs and which are unfinished; each silo's keeper re-activates the unfinished ones.</summary>
public sealed class TrainingDirectoryGrain(
    [PersistentState("directory")] IPersistentState<TrainingDirectoryState> state) : Grain, ITrainingDirectoryGrain
{
    private StateWriter? _writer;

    public async Task AddAsync(TrainingRunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (state.State.Runs.Any(r => r.RunId == run.RunId))
            return;
        state.State.Runs.Add(run);
        state.State.Unfinished.Add(run.RunId);
        await WriteAsync();
    }

    public Task<ImmutableArray<TrainingRunSummary>> ListAsync() =>
        Task.FromResult(state.State.Runs.OrderBy(r => r.CreatedAt).ToImmutableArray());

    public Task<ImmutableArray<string>> ListUnfinishedAsync() => Task.FromResult(state.State.Unfinished.ToImmutableArray());

    public async Task MarkFinishedAsync(string runId)
    {
        if (state.State.Unfinished.Remove(runId))
            await WriteAsync();
    }

    /// <summary>The state is written the one way every grain writes it (<see cref="StateWriter"/>).</summary>
    private Task WriteAsync() => (_writer ??= new StateWriter(() => state.WriteStateAsync())).WriteAsync();
}
