using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Loop;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Silo.Benchmarks.Loop;

/// <summary>
/// The virtual lab's model is a DARWIN language model: <see cref="PredictAsync"/> asks the engine for
/// each composition's answer distribution, and <see cref="UpdateAsync"/> is a LoRA run from the
/// unchanged base on everything measured so far mixed with a replay of the multi-task data
/// (<see cref="TrainingRunOptions.LabRecords"/>); the merged result answers the next screening.
/// </summary>
public sealed class LanguageModelLabSurrogate(LabSurrogateSettings settings) : ILabSurrogate, IAsyncDisposable
{
    private readonly PropertyTask _task = TaskCatalog.Get(settings.Task);
    private InferenceEngine? _engine;
    private string _model = settings.BaseModelPath;
    private int _updates;
    // The current version's answers: a greedy run and the loop's first round screen the same base model once.
    private readonly Dictionary<string, NumericDistribution?> _screened = new(StringComparer.Ordinal);

    public string Version { get; private set; } = "base";

    /// <summary>Wall time of each update (LoRA run), in order.</summary>
    public List<TimeSpan> UpdateTimes { get; } = [];

    /// <summary>Wall time of each screening, in order.</summary>
    public List<TimeSpan> ScreenTimes { get; } = [];

    public async Task<IReadOnlyList<NumericDistribution?>> PredictAsync(IReadOnlyList<string> compositions, CancellationToken cancellationToken)
    {
        var missing = compositions.Where(c => !_screened.ContainsKey(c)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            _engine ??= InferenceEngine.Start(new EngineOptions
            {
                ModelPath = _model, Threads = settings.Threads, BatchThreads = settings.Threads, SeqMax = settings.SeqMax,
            }.Validated());
            var predictor = new PropertyPredictor(_engine, new PredictionOptions { Estimate = NumericEstimate.Median }.Validated());
            var predictions = await predictor.PredictManyAsync(_task, missing, cancellationToken);
            for (var i = 0; i < missing.Length; i++)
                _screened[missing[i]] = predictions[i].Succeeded ? predictions[i].Distribution : null;
            ScreenTimes.Add(clock.Elapsed);
        }
        return compositions.Select(c => _screened[c]).ToArray();
    }

    public async Task UpdateAsync(IReadOnlyList<PoolRecord> measured, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _updates++;
        var records = measured.Select(m => new LabRecord(_task.Name, m.Composition, m.Value)).ToArray();
        var options = settings.Update with
        {
            Base = TrainingBase.FromFile(settings.BaseModelPath),
            Mode = TrainingMode.Lora,
            Merge = true,
            OutputDirectory = Path.Combine(settings.WorkDirectory, $"update-{_updates}"),
            // Each measured value several times per epoch (a fresh instruction each time), so an
            // epoch is long enough that validation does not dominate a short run.
            LabRecords = Repeat(records, settings.LabExamplesPerEpoch),
        };
        if (Directory.Exists(options.OutputDirectory)) Directory.Delete(options.OutputDirectory, recursive: true);
        var result = await Task.Run(() => TrainingRun.Execute(options, cancellationToken: cancellationToken), cancellationToken);
        if (_engine is not null) await _engine.DisposeAsync();
        _engine = null;
        _model = result.ModelPath;
        _screened.Clear();
        Version = $"lora-{_updates} ({measured.Count} measured)";
        UpdateTimes.Add(clock.Elapsed);
    }

    /// <summary>Every record the same number of times, about <paramref name="examples"/> in all (at least once each).</summary>
    public static IReadOnlyList<LabRecord> Repeat(IReadOnlyList<LabRecord> records, int examples)
    {
        var times = Math.Max(1, (int)Math.Round((double)examples / records.Count));
        return Enumerable.Repeat(records, times).SelectMany(r => r).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null) await _engine.DisposeAsync();
        _engine = null;
    }
}

/// <summary>What a <see cref="LanguageModelLabSurrogate"/> screens with and how it learns.</summary>
/// <param name="Update">The LoRA run's settings (preset, data, fold, seed, steps, threads); base, mode, output and lab records are set per update.</param>
/// <param name="LabExamplesPerEpoch">About this many lab examples per epoch (measured values repeated), plus their replay.</param>
public sealed record LabSurrogateSettings(
    string Task,
    string BaseModelPath,
    string WorkDirectory,
    TrainingRunOptions Update,
    int LabExamplesPerEpoch = 240,
    int? Threads = null,
    int SeqMax = 32);
