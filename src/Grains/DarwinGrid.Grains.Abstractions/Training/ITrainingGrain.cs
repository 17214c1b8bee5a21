using System.Collections.Immutable;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// One training run (key: run id, letters, digits, '.', '_' and '-'). Placed only on silos that may
/// train; the training itself runs on a dedicated thread, never in a call. On success the run
/// registers <c>{name}:{runId}</c> in <c>IModelRegistryGrain</c> with its manifest and held-out metrics.
/// </summary>
[Alias("DarwinGrid.ITrainingGrain")]
public interface ITrainingGrain : IGrainWithStringKey
{
    /// <summary>Starts the run; starting it again with an equivalent spec returns its status and starts nothing.</summary>
    /// <exception cref="ArgumentException">The spec is invalid (the message names the problem).</exception>
    /// <exception cref="InvalidOperationException">The run id is taken by a run with a different spec.</exception>
    [Alias("Start")] Task<TrainingRunStatus> StartAsync(TrainingJobSpec spec);

    [Alias("Status")] Task<TrainingRunStatus> GetStatusAsync();

    /// <summary>The persisted loss curve (thinned to a bounded number of step points; every epoch point kept).</summary>
    [Alias("LossCurve")] Task<ImmutableArray<LossPoint>> GetLossCurveAsync();

    /// <summary>Asks the run to stop at its next step; a finished run is left as it is.</summary>
    [Alias("Cancel")] Task<TrainingRunStatus> CancelAsync();

    /// <summary>Status now, then on every change until the run finishes or the caller stops.</summary>
    [Alias("Watch")] IAsyncEnumerable<TrainingRunStatus> WatchAsync(CancellationToken cancellationToken = default);
}

/// <summary>Every training run, and which are unfinished (each silo's keeper re-activates those). Key <see cref="Key"/>.</summary>
[Alias("DarwinGrid.ITrainingDirectoryGrain")]
public interface ITrainingDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "default";

    [Alias("Add")] Task AddAsync(TrainingRunSummary run);
    [Alias("List")] Task<ImmutableArray<TrainingRunSummary>> ListAsync();
    [Alias("Unfinished")] Task<ImmutableArray<string>> ListUnfinishedAsync();
    [Alias("Finished")] Task MarkFinishedAsync(string runId);
}
