namespace DarwinGrid.Evaluation.Harness;

/// <summary>The scores of one fold of one task.</summary>
/// <param name="Metrics">Metric name to value; NaN where the metric is undefined (see <paramref name="Notes"/>).</param>
/// <param name="Failures">Test records the model could not answer (scored as the dummy would).</param>
/// <param name="Resumed">True when the predictions were read from an earlier run's file, not recomputed.</param>
/// <param name="FitSeconds">Wall time of fitting; null when resumed.</param>
/// <param name="PredictSeconds">Wall time of predicting; null when resumed.</param>
public sealed record FoldResult(
    int Fold,
    int TrainCount,
    int TestCount,
    int Failures,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> Notes,
    bool Resumed,
    double? FitSeconds,
    double? PredictSeconds,
    string PredictionsFile);
