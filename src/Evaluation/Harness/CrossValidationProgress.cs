namespace DarwinGrid.Evaluation.Harness;

public enum FoldStage
{
    Fitting,
    Predicting,
    /// <summary>Predictions were found complete on disk and reused.</summary>
    Resumed,
    Scored,
}

/// <summary>A step of the run; <see cref="Result"/> is set once the fold is scored.</summary>
public sealed record CrossValidationProgress(string Task, int Fold, FoldStage Stage, FoldResult? Result = null)
{
    public override string ToString() => Result is null
        ? $"{Task} fold {Fold}: {Stage.ToString().ToLowerInvariant()}"
        : $"{Task} fold {Fold}: {string.Join(", ", Result.Metrics.Select(m => $"{m.Key} {m.Value:G4}"))}" +
          (Result.Failures > 0 ? $", {Result.Failures} failed" : "") +
          (Result.Resumed ? " (resumed)" : $" (fit {Result.FitSeconds:F1} s, predict {Result.PredictSeconds:F1} s)");
}
