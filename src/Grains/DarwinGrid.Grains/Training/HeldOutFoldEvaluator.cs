using System.Collections.Immutable;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Baselines;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.LanguageModels;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Grains.Training;

/// <summary>Scores a model version per task; the metrics are stored with the version in the registry.</summary>
public interface IModelVersionEvaluator
{
    /// <param name="limitPerTask">Score at most this many held-out records per task (null: all).</param>
    Task<ImmutableDictionary<string, ImmutableDictionary<string, double>>> EvaluateAsync(
        ModelVersionInfo version, IReadOnlyList<string> tasks, int? limitPerTask, CancellationToken cancellationToken);
}

/// <summary>
/// Scores a version on the held-out fold (<see cref="TrainerSpecMapping.HeldOutFold"/>) of each task
/// it was trained on, through the same path model grains serve it (<see cref="IPropertyPredictorFactory"/>,
/// i.e. PropertyPredictor on an inference engine) and with the evaluation harness's rules: its split
/// (<see cref="CrossValidationSplits"/>), its scorer (<see cref="FoldScorer"/>), its reading of a language model's answer
/// (<see cref="LanguageModelAnswer"/>) and its treatment of unreadable answers (<see cref="CrossValidation.Rows"/>:
/// scored as the dummy model's, and counted). Metrics per task: the harness's,
/// plus <c>n</c> (records scored), <c>failed</c>, and the dummy baseline's on the same records
/// (<see cref="DummyPrefix"/>), so each version is read next to the dummy as in docs/results.md;
/// undefined (NaN) metrics are left out.
/// </summary>
public sealed class HeldOutFoldEvaluator(
    IPropertyPredictorFactory factory,
    IOptions<DarwinGridGrainOptions> options,
    ILogger<HeldOutFoldEvaluator> logger) : IModelVersionEvaluator
{
    public const string Count = "n";
    public const string Failed = "failed";

    /// <summary>Prefix of the dummy baseline's metrics on the same records (training mean / class prior), shown beside the version's.</summary>
    public const string DummyPrefix = "dummy ";
    private const int ChunkSize = 256;

    public async Task<ImmutableDictionary<string, ImmutableDictionary<string, double>>> EvaluateAsync(
        ModelVersionInfo version, IReadOnlyList<string> tasks, int? limitPerTask, CancellationToken cancellationToken)
    {
        var dataRoot = SharedDataLocator.Locate(options.Value.DataDirectory);
        var device = options.Value.Devices.FirstOrDefault() ?? "cpu0";
        var results = ImmutableDictionary.CreateBuilder<string, ImmutableDictionary<string, double>>(StringComparer.Ordinal);
        await using var predictor = await factory.CreateAsync(version, device, cancellationToken);
        foreach (var name in tasks)
        {
            var task = TaskAliases.Resolve(name);
            var records = TaskDatasetLoader.Load(task, dataRoot).Records;
            var fold = CrossValidationSplits.For(task, records, dataRoot)[TrainerSpecMapping.HeldOutFold];
            var test = fold.Test.Take(limitPerTask ?? int.MaxValue).Select(i => records[i]).ToArray();
            if (test.Length == 0)
                continue;
            var fallback = DummyModel.Fit(task, [.. fold.Train.Select(i => records[i])]);
            var outputs = new List<ModelOutput>(test.Length);
            foreach (var chunk in test.Chunk(ChunkSize))
            {
                var predictions = await predictor.PredictAsync(task.Name, [.. chunk.Select(r => r.Input)], PredictionEstimate.Median, cancellationToken);
                outputs.AddRange(predictions.Select(p => LanguageModelAnswer.ToOutput(task, p.Error, p.Value, p.Low, p.High, p.LabelProbabilities, p.RawAnswer)));
            }
            // The harness's rows: an answer that cannot be scored is scored as the dummy's and counted.
            var rows = CrossValidation.Rows(task, test, outputs, fallback);
            var (metrics, notes) = FoldScorer.Score(task, rows);
            var (dummy, _) = FoldScorer.Score(task, [.. test.Select(r => new PredictionRow(r.RowNumber, r.Input, r.Target, fallback, null))]);
            var stored = metrics.Where(m => double.IsFinite(m.Value))
                .Concat(dummy.Where(m => double.IsFinite(m.Value)).Select(m => KeyValuePair.Create(DummyPrefix + m.Key, m.Value)))
                .ToImmutableDictionary(StringComparer.Ordinal)
                .Add(Count, rows.Length).Add(Failed, rows.Count(r => r.Failed));
            results[task.Name] = stored;
            logger.LogInformation("Version {Version} on {Task} fold {Fold} ({Count} records, {Failed} unreadable): {Primary} {Value:F4}{Notes}",
                version.Id, task.Name, fold.Index, rows.Length, rows.Count(r => r.Failed), FoldScorer.PrimaryMetric(task.Kind),
                metrics[FoldScorer.PrimaryMetric(task.Kind)], notes.Count > 0 ? "; " + string.Join("; ", notes) : "");
        }
        return results.ToImmutable();
    }
}
