using DarwinGrid.Domain.Metrics;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Evaluation.Harness;

/// <summary>
/// Matbench's metrics for one fold. Regression: MAE, RMSE, MAPE (NaN with a note when an actual
/// value is zero), max error. Classification: accuracy, balanced accuracy, F1 (binary: of class 1;
/// multi-class: macro) and ROC-AUC from the class scores (multi-class: mean of one-vs-rest AUCs).
/// The predicted class is the highest score, ties to the lower class index.
/// </summary>
public static class FoldScorer
{
    public const string Mae = "mae";
    public const string Rmse = "rmse";
    public const string Mape = "mape";
    public const string MaxError = "max_error";
    public const string Accuracy = "accuracy";
    public const string BalancedAccuracy = "balanced_accuracy";
    public const string F1 = "f1";
    public const string RocAuc = "rocauc";
    /// <summary>Share of actual values inside the model's central interval (models that give intervals only).</summary>
    public const string IntervalCoverage = "interval_coverage";
    /// <summary>Mean width of those intervals, in the task's unit.</summary>
    public const string IntervalWidth = "interval_width";

    public static IReadOnlyList<string> MetricsOf(TaskKind kind) =>
        kind == TaskKind.Regression ? [Mae, Rmse, Mape, MaxError, IntervalCoverage, IntervalWidth] : [Accuracy, BalancedAccuracy, F1, RocAuc];

    /// <summary>The metric the Matbench leaderboard ranks by.</summary>
    public static string PrimaryMetric(TaskKind kind) => kind == TaskKind.Regression ? Mae : RocAuc;

    public static (IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<string> Notes) Score(PropertyTask task, IReadOnlyList<PredictionRow> rows)
    {
        var notes = new List<string>();
        var metrics = new Dictionary<string, double>();
        if (task.Kind == TaskKind.Regression)
        {
            var actual = rows.Select(r => r.Actual.AsNumber()).ToArray();
            var predicted = rows.Select(r => r.Scored.Value ?? throw MissingOutput(task, r)).ToArray();
            metrics[Mae] = RegressionMetrics.MeanAbsoluteError(actual, predicted);
            metrics[Rmse] = RegressionMetrics.RootMeanSquaredError(actual, predicted);
            var zeros = actual.Count(a => a == 0);
            if (zeros > 0)
            {
                metrics[Mape] = double.NaN;
                notes.Add($"MAPE undefined: {zeros} of {actual.Length} actual values are zero");
            }
            else
                metrics[Mape] = RegressionMetrics.MeanAbsolutePercentageError(actual, predicted);
            metrics[MaxError] = RegressionMetrics.MaxError(actual, predicted);
            (metrics[IntervalCoverage], metrics[IntervalWidth]) = IntervalScores(rows, notes);
            return (metrics, notes);
        }

        var classes = task.Classes.Count;
        var actualClasses = rows.Select(r => r.Actual.AsClassIndex()).ToArray();
        var scores = rows.Select(r => r.Scored.ClassScores ?? throw MissingOutput(task, r)).ToArray();
        var predictedClasses = scores.Select(ArgMax).ToArray();
        metrics[Accuracy] = ClassificationMetrics.Accuracy(actualClasses, predictedClasses);
        metrics[BalancedAccuracy] = ClassificationMetrics.BalancedAccuracy(actualClasses, predictedClasses);
        if (classes == 2)
        {
            var actualPositive = actualClasses.Select(c => c == 1).ToArray();
            var predictedPositive = predictedClasses.Select(c => c == 1).ToArray();
            metrics[F1] = actualPositive.Any(a => a) || predictedPositive.Any(p => p)
                ? ClassificationMetrics.F1(actualPositive, predictedPositive)
                : Undefined(notes, "F1 undefined: no positive in the fold or the predictions");
            metrics[RocAuc] = actualPositive.Distinct().Count() == 2
                ? ClassificationMetrics.RocAuc(actualPositive, scores.Select(s => s[1]).ToArray())
                : Undefined(notes, "ROC-AUC undefined: the fold holds one class only");
        }
        else
        {
            metrics[F1] = ClassificationMetrics.MacroF1(actualClasses, predictedClasses);
            var aucs = Enumerable.Range(0, classes)
                .Where(c => actualClasses.Contains(c) && actualClasses.Any(a => a != c))
                .Select(c => ClassificationMetrics.RocAuc(actualClasses.Select(a => a == c).ToArray(), scores.Select(s => s[c]).ToArray()))
                .ToArray();
            metrics[RocAuc] = aucs.Length > 0 ? aucs.Average() : Undefined(notes, "ROC-AUC undefined: the fold holds one class only");
            notes.Add("F1 is macro-averaged and ROC-AUC is the mean one-vs-rest AUC over classes present");
        }
        return (metrics, notes);
    }

    /// <summary>
    /// Coverage and mean width over the rows whose (non-failed) answer carried an interval; NaN
    /// for a model that gives none (the descriptor baselines).
    /// </summary>
    private static (double Coverage, double Width) IntervalScores(IReadOnlyList<PredictionRow> rows, List<string> notes)
    {
        var withInterval = rows.Where(r => !r.Failed && r.Scored.HasInterval).ToArray();
        if (withInterval.Length == 0) return (double.NaN, double.NaN);
        if (withInterval.Length < rows.Count)
            notes.Add($"interval coverage and width over the {withInterval.Length} of {rows.Count} answers that carry an interval");
        var covered = withInterval.Count(r => r.Scored.Low <= r.Actual.AsNumber() && r.Actual.AsNumber() <= r.Scored.High);
        return ((double)covered / withInterval.Length, withInterval.Average(r => r.Scored.High!.Value - r.Scored.Low!.Value));
    }

    public static int ArgMax(IReadOnlyList<double> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Count; i++)
        {
            if (scores[i] > scores[best])
                best = i;
        }
        return best;
    }

    private static double Undefined(List<string> notes, string note)
    {
        notes.Add(note);
        return double.NaN;
    }

    private static InvalidOperationException MissingOutput(PropertyTask task, PredictionRow row) =>
        new($"{task.Name} row {row.RowNumber}: the scored output has no {(task.Kind == TaskKind.Regression ? "value" : "class scores")}.");
}
