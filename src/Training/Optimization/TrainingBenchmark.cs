using System.Diagnostics;
using DarwinGrid.Training.Models;

namespace DarwinGrid.Training.Optimization;

/// <summary>Throughput and memory of a short training run.</summary>
public sealed record TrainingBenchmarkResult(
    long Parameters,
    BatchLayout Layout,
    int Steps,
    double MedianTokensPerSecond,
    double OverallTokensPerSecond,
    double FirstLoss,
    double LastLoss,
    long ComputeBufferBytes,
    long PeakWorkingSetBytes,
    TimeSpan Elapsed)
{
    /// <summary>
    /// Median per step of tokens per CPU-second used by the whole process. On a machine shared with
    /// other work this barely moves with the load; with one thread it approximates an idle core's rate
    /// (with more, threads waiting at ggml's barriers spin and count too).
    /// </summary>
    public double MedianTokensPerCpuSecond { get; init; }

    /// <summary>The threads the run ended with (the preset's probe may pick one core).</summary>
    public int Threads { get; init; }

    /// <summary>Mean record tokens (padding excluded) per micro-batch, the unit <see cref="TrainingFlops"/> counts.</summary>
    public double TokensPerMicroBatch { get; init; }

    /// <summary>FLOPs of the products per training token (see <see cref="TrainingFlops"/>).</summary>
    public double FlopsPerToken { get; init; }
}

/// <summary>
/// Trains a model for a fixed number of optimizer steps and measures training tokens/s (record tokens,
/// padding excluded; forward + backward + AdamW on every weight, or on the A/B matrices in LoRA mode) per step, reporting the median so a
/// machine shared with other work gives a steadier figure.
/// </summary>
public static class TrainingBenchmark
{
    public static TrainingBenchmarkResult Run(LlamaCheckpoint model, IReadOnlyList<TrainingRecord> records, TrainerOptions options, int steps,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A benchmark needs at least 2 steps.");
        var events = new List<TrainingProgress>();
        var cpuTimes = new List<TimeSpan>();
        using var process = Process.GetCurrentProcess();
        var sink = new SynchronousProgress(p =>
        {
            if (p.Kind == TrainingProgressKind.Step)
            {
                events.Add(p);
                process.Refresh();
                cpuTimes.Add(process.TotalProcessorTime);
            }
            progress?.Report(p);
        });
        using var trainer = new LlamaTrainer(model, options with { MaxSteps = steps, Epochs = Math.Max(options.Epochs, 1000) });
        var layout = BatchLayout.For(records, options, model.Hyperparameters.VocabSize, model.Hyperparameters.ContextLength);
        var result = trainer.Train(records, [], sink, cancellationToken);

        // Per-step rates from consecutive events; the first step (allocation, warm caches) is left out.
        var rates = events.Zip(events.Skip(1), (a, b) => (b.TrainedTokens - a.TrainedTokens) / (b.Elapsed - a.Elapsed).TotalSeconds)
            .Order().ToList();
        var cpuRates = Enumerable.Range(1, Math.Max(0, events.Count - 1))
            .Select(i => (events[i].TrainedTokens - events[i - 1].TrainedTokens) / (cpuTimes[i] - cpuTimes[i - 1]).TotalSeconds)
            .Order().ToList();
        process.Refresh();
        var tokensPerMicroBatch = (double)result.TrainedTokens / Math.Max(1, result.Steps * options.GradientAccumulation);
        return new TrainingBenchmarkResult(model.Hyperparameters.ParameterCount, layout, result.Steps,
            rates.Count > 0 ? rates[rates.Count / 2] : result.TokensPerSecond, result.TokensPerSecond,
            events.Count > 0 ? events[0].TrainLoss : double.NaN, result.Epochs.Count > 0 ? result.Epochs[^1].TrainLoss : double.NaN,
            trainer.LastComputeBufferBytes, process.PeakWorkingSet64, result.Elapsed)
        {
            MedianTokensPerCpuSecond = cpuRates.Count > 0 ? cpuRates[cpuRates.Count / 2] : double.NaN,
            Threads = result.Threads,
            TokensPerMicroBatch = tokensPerMicroBatch,
            FlopsPerToken = TrainingFlops.PerMicroBatch(model.Hyperparameters, layout, trainBaseWeights: options.Lora is null) / tokensPerMicroBatch,
        };
    }

    /// <summary>Unlike Progress&lt;T&gt;, reports on the training thread, in order.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
