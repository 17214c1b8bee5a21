using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Loop;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Runs;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Silo.Benchmarks.Loop;

/// <summary>What <c>darwin bench loop</c> plays.</summary>
public sealed record LoopBenchmarkSettings
{
    public required string Task { get; init; }

    public int Rounds { get; init; } = 5;

    public int BatchSize { get; init; } = 20;

    public AcquisitionRule Rule { get; init; } = AcquisitionRule.Ei;

    public long Seed { get; init; } = 1;

    /// <summary>The fold whose test part is the pool (the base model is trained without it).</summary>
    public int Fold { get; init; }

    public int Threads { get; init; }

    /// <summary>Optimizer steps of each LoRA update (at most): two epochs of about 20 steps each.</summary>
    public int UpdateSteps { get; init; } = 40;
}

/// <summary>
/// The virtual-lab benchmark: the pool is one fold's test records of a regression task, the model a
/// DARWIN language model trained without them. It plays the loop (acquisition rule over the model's
/// distributions, LoRA update on everything measured after each round), greedy (the base model's
/// medians, no updates) and random on the same pool and seed. The objective is to maximise the
/// property (for band gaps: wide-gap materials), hits are the pool's top 5%.
/// </summary>
public static class LoopBenchmark
{
    public const ScreeningGoal Goal = ScreeningGoal.Maximize;

    public const double HitShare = 0.05;

    /// <summary>The fold's test part of <paramref name="task"/>: each composition once (the first record of a repeated one).</summary>
    public static IReadOnlyList<PoolRecord> Pool(PropertyTask task, string dataRoot, int fold)
    {
        if (task.Kind != TaskKind.Regression)
            throw new ArgumentException($"The loop benchmark needs a regression task; '{task.Name}' is a classification task.");
        var records = TaskDatasetLoader.Load(task, dataRoot).Records;
        var test = new FoldSelection(fold).Validated().TestIndices(task, records, dataRoot);
        return test.Select(i => records[i])
            .DistinctBy(r => r.Input.Trim(), StringComparer.Ordinal)
            .Select(r => new PoolRecord(r.Input.Trim(), r.Target.AsNumber()))
            .ToArray();
    }

    public static VirtualLabSettings LabSettings(LoopBenchmarkSettings settings) => new()
    {
        Rounds = settings.Rounds,
        BatchSize = settings.BatchSize,
        Goal = Goal,
        HitShare = HitShare,
        Rule = settings.Rule,
        Seed = settings.Seed,
    };

    /// <summary>
    /// A LoRA run from the base on the measured values with the mixture's replay: darwin-mini's
    /// trainer, validation on the four matbench tasks (their replay is ~70% of the mixture) to keep
    /// it short, no early stop (validation is the mixture's, which the lab records do not aim at),
    /// two epochs, at most <see cref="LoopBenchmarkSettings.UpdateSteps"/> steps. The peak learning
    /// rate is 2.5x the preset's: a LoRA adapter starts at zero and has only a few dozen steps.
    /// (Chosen before the benchmark was first run, not tuned on its pool.)
    /// </summary>
    public static TrainingRunOptions UpdateOptions(string dataRoot, LoopBenchmarkSettings settings, TrainingPreset? preset = null)
    {
        preset ??= TrainingPresets.Mini;
        return new TrainingRunOptions
        {
            Preset = preset with
            {
                Trainer = preset.Trainer with
                {
                    Epochs = 2, EarlyStoppingPatience = 0, MaxDuration = null, WarmupSteps = 5, ProbeThreads = false, LearningRate = 2.5f * preset.Trainer.LearningRate,
                },
            },
            OutputDirectory = ".",
            DataRoot = dataRoot,
            Tasks = (preset.Tasks ?? TrainingPresets.MatbenchTasks).Intersect(TrainingPresets.MatbenchTasks).ToArray(),
            Fold = new FoldSelection(settings.Fold),
            MaxSteps = settings.UpdateSteps,
            Seed = (int)settings.Seed,
            Threads = settings.Threads,
            Mode = TrainingMode.Lora,
            Lora = new LoraOptions(),
            CheckpointEverySteps = 0,
        };
    }

    /// <summary>Random, greedy and the loop in that order on one pool; the greedy run's screening of the base is reused by the loop's first round.</summary>
    public static async Task<IReadOnlyList<VirtualLabRun>> RunAsync(VirtualLab lab, LanguageModelLabSurrogate surrogate, Action<VirtualLabRun> finished,
        CancellationToken cancellationToken)
    {
        var runs = new List<VirtualLabRun>();
        foreach (var strategy in new[] { LoopStrategy.Random, LoopStrategy.Greedy, LoopStrategy.Loop })
        {
            var run = await lab.RunAsync(strategy, surrogate, cancellationToken);
            finished(run);
            runs.Add(run);
        }
        return runs;
    }
}
