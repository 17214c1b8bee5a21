namespace DarwinGrid.Grains.Training;

/// <summary>
/// A training run's progress in its stored state: the trainer's events applied (the loss curve kept
/// thin, a resumed attempt's replayed steps replacing the lost attempt's), reset for a fresh attempt,
/// and read as the status callers see. Plain data work; the grain decides when.
/// </summary>
public static class TrainingRunProgress
{
    public static void Apply(TrainingGrainState s, IReadOnlyList<TrainingJobProgress> events, int maxLossPoints)
    {
        foreach (var e in events)
        {
            s.Stage = e.Stage;
            s.Epoch = e.Epoch;
            s.Step = e.Step;
            s.TotalSteps = e.TotalSteps;
            s.TokensPerSecond = e.TokensPerSecond;
            s.ElapsedSeconds = e.Elapsed.TotalSeconds;
            s.RemainingSeconds = e.Remaining?.TotalSeconds;
            if (e.Checkpoint is not null)
                s.LastCheckpoint = e.Checkpoint;
            if (e.EndOfEpoch)
                s.ValidationLoss = e.ValidationLoss;
            else
                s.Loss = e.Loss;
            // A resumed attempt replays the steps after its checkpoint: the lost attempt's points from there on go.
            if (!e.EndOfEpoch && s.LossCurve.Count > 0 && s.LossCurve[^1].Stage == e.Stage && s.LossCurve[^1].Step >= e.Step)
                s.LossCurve.RemoveAll(p => p.Stage == e.Stage && p.Step >= e.Step);
            if (e.Loss is { } loss && double.IsFinite(loss))
                s.LossStride = LossCurveThinning.Add(s.LossCurve, s.LossStride, new LossPoint(e.Stage, e.Epoch, e.Step, loss, e.EndOfEpoch ? e.ValidationLoss : null), maxLossPoints);
        }
    }

    /// <summary>An attempt that starts from scratch starts its progress from zero.</summary>
    public static void Reset(TrainingGrainState s)
    {
        s.Stage = null;
        s.Epoch = s.Step = s.TotalSteps = 0;
        s.Loss = s.ValidationLoss = null;
        s.TokensPerSecond = s.ElapsedSeconds = 0;
        s.RemainingSeconds = null;
        s.LossCurve = [];
        s.LossStride = 1;
    }

    public static TrainingRunStatus Status(TrainingGrainState s, string runId) => new(
        runId, s.Spec is null ? TrainingRunState.None : s.State, s.Spec, s.Silo, s.Attempt, s.Stage, s.Epoch, s.Step, s.TotalSteps,
        s.Loss, s.ValidationLoss, s.TokensPerSecond, s.RemainingSeconds is { } r ? TimeSpan.FromSeconds(r) : null,
        TimeSpan.FromSeconds(s.ElapsedSeconds), s.StartedAt, s.FinishedAt, s.VersionId, s.LastCheckpoint, s.Error, s.Note);
}
