using System.Diagnostics;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Baselines;
using DarwinGrid.Evaluation.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Evaluation.Harness;

/// <summary>
/// Runs a model through Matbench-style cross-validation: fold by fold, for each task a fresh model is
/// fitted on the training part only and predicts the test part; the predictions go to one CSV per
/// fold and the scores to <c>metrics.json</c> and <c>results.md</c> in the output folder. A fold
/// whose predictions file is already complete is scored from that file and not recomputed.
/// </summary>
public sealed class CrossValidation(string dataRoot, ILogger<CrossValidation>? logger = null)
{
    public const string MetricsFileName = "metrics.json";
    public const string MarkdownFileName = "results.md";

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <param name="folds">Fold indices to run (0-4); null for all five.</param>
    public async Task<EvaluationReport> RunAsync(
        IReadOnlyList<PropertyTask> tasks,
        ModelSpec model,
        IReadOnlyList<int>? folds,
        string outDir,
        IProgress<CrossValidationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(model);
        if (tasks.Count == 0)
            throw new ArgumentException("No tasks to evaluate.", nameof(tasks));
        var selected = CheckFolds(folds);
        Directory.CreateDirectory(outDir);

        // Every task's data and folds first, then fold by fold: a model trained per fold (a multi-task
        // language model) is trained once and serves every task of that fold before the next is trained.
        var data = tasks.Select(task =>
        {
            var load = TaskDatasetLoader.Load(task, dataRoot);
            if (load.Skipped.Count > 0)
                _logger.LogWarning("{Task}: {Skipped} data rows skipped while loading (first: {First})", task.Name, load.Skipped.Count, load.Skipped[0]);
            return (Task: task, load.Records, Splits: CrossValidationSplits.For(task, load.Records, dataRoot), Results: new List<FoldResult>());
        }).ToArray();
        foreach (var index in selected)
        {
            foreach (var (task, records, splits, foldResults) in data)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var request = new FoldRequest(task, index, tasks, outDir);
                var result = await RunFoldAsync(request, model, records, splits[index], outDir, progress, cancellationToken);
                foldResults.Add(result);
                progress?.Report(new CrossValidationProgress(task.Name, index, FoldStage.Scored, result));
            }
        }
        var results = data.Select(d =>
        {
            var metricNames = FoldScorer.MetricsOf(d.Task.Kind);
            var summary = metricNames.ToDictionary(m => m, m => MetricSummary.Of(d.Results.Select(f => f.Metrics[m])));
            return new TaskResult(d.Task.Name, d.Task.Kind, d.Task.Unit, d.Records.Count, FoldScorer.PrimaryMetric(d.Task.Kind), d.Results, summary);
        }).ToList();

        var report = new EvaluationReport(model.Name, model.Description, selected, CrossValidationSplits.FoldCount, CrossValidationSplits.Seed, results);
        ReportWriter.WriteJson(Path.Combine(outDir, MetricsFileName), report);
        ReportWriter.WriteMarkdown(Path.Combine(outDir, MarkdownFileName), report);
        return report;
    }

    private async Task<FoldResult> RunFoldAsync(
        FoldRequest request, ModelSpec spec, IReadOnlyList<TaskRecord> records, Fold fold, string outDir,
        IProgress<CrossValidationProgress>? progress, CancellationToken cancellationToken)
    {
        var task = request.Task;
        var train = fold.Train.Select(i => records[i]).ToArray();
        var test = fold.Test.Select(i => records[i]).ToArray();
        var path = PredictionsFile.PathFor(outDir, task, fold.Index, spec.PredictionsVariant);

        var (previous, problem) = PredictionsFile.TryRead(path, task, test);
        if (previous is not null)
        {
            progress?.Report(new CrossValidationProgress(task.Name, fold.Index, FoldStage.Resumed));
            return Result(task, fold, train.Length, previous, path, resumed: true, null, null);
        }
        if (File.Exists(path))
            _logger.LogWarning("{Task} fold {Fold}: recomputing, the existing predictions file does not match: {Problem}", task.Name, fold.Index, problem);

        var model = spec.Create(request);
        progress?.Report(new CrossValidationProgress(task.Name, fold.Index, FoldStage.Fitting));
        var clock = Stopwatch.StartNew();
        await model.FitAsync(task, train, cancellationToken);
        var fitSeconds = clock.Elapsed.TotalSeconds;

        progress?.Report(new CrossValidationProgress(task.Name, fold.Index, FoldStage.Predicting));
        clock.Restart();
        var outputs = await model.PredictAsync(task, test, cancellationToken);
        var predictSeconds = clock.Elapsed.TotalSeconds;
        if (outputs.Count != test.Length)
            throw new InvalidOperationException(
                $"Model '{model.Name}' returned {outputs.Count} outputs for the {test.Length} test records of {task.Name} fold {fold.Index}.");

        var rows = Rows(task, test, outputs, DummyModel.Fit(task, train));
        PredictionsFile.Write(path, task, rows);
        return Result(task, fold, train.Length, rows, path, resumed: false, fitSeconds, predictSeconds);
    }

    private FoldResult Result(PropertyTask task, Fold fold, int trainCount, IReadOnlyList<PredictionRow> rows, string path,
        bool resumed, double? fitSeconds, double? predictSeconds)
    {
        var failures = rows.Count(r => r.Failed);
        if (failures > 0)
            _logger.LogWarning("{Task} fold {Fold}: {Failures} of {Count} predictions failed (first: row {Row}: {Reason}); scored as the dummy's",
                task.Name, fold.Index, failures, rows.Count, rows.First(r => r.Failed).RowNumber, rows.First(r => r.Failed).Failure);
        var (metrics, notes) = FoldScorer.Score(task, rows);
        return new FoldResult(fold.Index, trainCount, rows.Count, failures, metrics, notes, resumed, fitSeconds, predictSeconds, path);
    }

    /// <summary>
    /// The rows a fold is scored on: each record with its model output, or, where the output cannot be
    /// scored, with <paramref name="fallback"/> (the dummy's) and the reason, which the row counts as a failure.
    /// </summary>
    public static PredictionRow[] Rows(PropertyTask task, IReadOnlyList<TaskRecord> test, IReadOnlyList<ModelOutput> outputs, ModelOutput fallback) =>
        test.Select((record, i) =>
        {
            var invalid = Invalid(task, outputs[i]);
            return invalid is null
                ? new PredictionRow(record.RowNumber, record.Input, record.Target, outputs[i], null)
                : new PredictionRow(record.RowNumber, record.Input, record.Target, fallback, invalid);
        }).ToArray();

    /// <summary>Why an output cannot be scored for the task, or null when it can.</summary>
    private static string? Invalid(PropertyTask task, ModelOutput output)
    {
        if (output.Error is not null)
            return output.Error;
        if (task.Kind == TaskKind.Regression)
            return output.Value is { } v && double.IsFinite(v) ? null : $"invalid output {output}: expected a finite number";
        return output.ClassScores is { } s && s.Count == task.Classes.Count && s.All(double.IsFinite)
            ? null
            : $"invalid output {output}: expected {task.Classes.Count} finite class scores";
    }

    private static IReadOnlyList<int> CheckFolds(IReadOnlyList<int>? folds)
    {
        if (folds is null)
            return Enumerable.Range(0, CrossValidationSplits.FoldCount).ToArray();
        if (folds.Count == 0)
            throw new ArgumentException("No folds selected.", nameof(folds));
        foreach (var fold in folds)
        {
            if (fold is < 0 or >= CrossValidationSplits.FoldCount)
                throw new ArgumentOutOfRangeException(nameof(folds), fold, $"Fold {fold} does not exist; folds are 0 to {CrossValidationSplits.FoldCount - 1}.");
        }
        return folds.Distinct().Order().ToArray();
    }
}
