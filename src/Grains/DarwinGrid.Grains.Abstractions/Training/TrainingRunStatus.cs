namespace DarwinGrid.Grains.Training;

/// <summary>Where a run is. Values are explicit and only appended.</summary>
public enum TrainingRunState
{
    /// <summary>No run with this id has been started.</summary>
    None = 0,
    Running = 1,
    /// <summary>Trained; the model is being scored on the held-out fold and registered.</summary>
    Evaluating = 2,
    Completed = 3,
    Failed = 4,
    Cancelled = 5,
}

/// <summary>
/// A run's progress as subscribers see it. <see cref="Attempt"/> counts starts: more than one
/// means the silo running it was lost and the run was picked up elsewhere (<see cref="Note"/> says how).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("DarwinGrid.TrainingRunStatus")]
public sealed record TrainingRunStatus(
    [property: Id(0)] string RunId,
    [property: Id(1)] TrainingRunState State,
    [property: Id(2)] TrainingJobSpec? Spec,
    [property: Id(3)] string? Silo,
    [property: Id(4)] int Attempt,
    [property: Id(5)] string? Stage,
    [property: Id(6)] int Epoch,
    [property: Id(7)] int Step,
    [property: Id(8)] int TotalSteps,
    [property: Id(9)] double? Loss,
    [property: Id(10)] double? ValidationLoss,
    [property: Id(11)] double TokensPerSecond,
    [property: Id(12)] TimeSpan? Remaining,
    [property: Id(13)] TimeSpan Elapsed,
    [property: Id(14)] DateTimeOffset? StartedAt,
    [property: Id(15)] DateTimeOffset? FinishedAt,
    [property: Id(16)] string? VersionId,
    [property: Id(17)] string? LastCheckpoint,
    [property: Id(18)] string? Error,
    [property: Id(19)] string? Note)
{
    public bool IsFinished => State is TrainingRunState.Completed or TrainingRunState.Failed or TrainingRunState.Cancelled;
}

/// <summary>One point of a run's loss curve: a step's loss, or (with <see cref="ValidationLoss"/>) the end of an epoch.</summary>
[GenerateSerializer, Immutable]
[Alias("DarwinGrid.LossPoint")]
public sealed record LossPoint(
    [property: Id(0)] string Stage,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int Step,
    [property: Id(3)] double Loss,
    [property: Id(4)] double? ValidationLoss = null);

/// <summary>A run in the training directory.</summary>
[GenerateSerializer, Immutable]
[Alias("DarwinGrid.TrainingRunSummary")]
public sealed record TrainingRunSummary(
    [property: Id(0)] string RunId,
    [property: Id(1)] string Preset,
    [property: Id(2)] DateTimeOffset CreatedAt);
