using System.Security.Cryptography;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.Grains.Calibration;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>
/// Trains (or finds) the model of one fold for a <see cref="TrainedModelSpec"/> and the options' seed:
/// <c>&lt;out&gt;/&lt;all|task&gt;/fold-k/train/</c> (all = the multi-task model shared by the fold's tasks,
/// task = a single-task model) and, for <c>+qa</c>, the fold-independent QA model in <c>&lt;out&gt;/qa/train/</c>;
/// a seed other than 1 trains into <c>train-seed-&lt;s&gt;/</c> beside them, so the members of a seed
/// ensemble and the single-seed evaluations in one output folder share their models.
/// A folder whose model and manifest are present is reused after checking the manifest says it was
/// trained the way this spec asks (fold, tasks, stages, mode, step budget, base); one that holds a
/// checkpoint is resumed; otherwise the training starts. Training excludes the fold's test part and,
/// through the leak guard, every composition in any trained task's test part of that fold.
/// </summary>
public sealed class FoldTraining(TrainedModelSpec spec, TrainedModelOptions options, string dataRoot,
    IProgress<TrainingProgress>? progress = null, ILogger? logger = null)
{
    public const string MultiTaskScope = "all";

    // A step budget replaces the preset's wall-clock budget: runs compare at equal steps, whatever the load.
    private static readonly TimeSpan NoTimeLimit = TimeSpan.FromDays(30);

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public TrainedModelSpec Spec => spec;

    public static string TrainDirectory(string outDir, string scope, int fold, int seed = 1) => Path.Combine(outDir, scope, $"fold-{fold}", SeedFolder(seed));

    public static string QaDirectory(string outDir, int seed = 1) => Path.Combine(outDir, "qa", SeedFolder(seed));

    /// <summary>Seed 1 keeps the folder evaluations used before seeds could be chosen, so their models are reused.</summary>
    private static string SeedFolder(int seed) => seed == 1 ? "train" : $"train-seed-{seed}";

    public int Seed => options.Seed;

    /// <summary><c>all</c> for the multi-task model, the task's name for a single-task one.</summary>
    public string Scope(FoldRequest request) => spec.SingleTask ? request.Task.Name : MultiTaskScope;

    /// <summary>The tasks the fold's model trains on: the run's tasks, or the one task.</summary>
    public IReadOnlyList<string> TasksOf(FoldRequest request) =>
        spec.SingleTask ? [request.Task.Name] : request.Tasks.Select(t => t.Name).Distinct().ToArray();

    /// <summary>The training run of the QA stage (new model, no fold: the QA pairs are literature, not task records).</summary>
    public TrainingRunOptions QaPlan(string outDir) => new TrainingRunOptions
    {
        Preset = spec.Preset,
        OutputDirectory = QaDirectory(outDir, options.Seed),
        DataRoot = dataRoot,
        Stages = [TrainingStages.Qa],
        MaxSteps = options.QaSteps,
        MaxDuration = options.QaSteps is null ? null : NoTimeLimit,
        Seed = options.Seed,
        Threads = options.Threads,
        CheckpointEverySteps = options.CheckpointEverySteps,
    }.Validated();

    /// <summary>The training run of a fold's model; <paramref name="qaModel"/> is its base for +qa specs.</summary>
    public TrainingRunOptions FoldPlan(FoldRequest request, string? qaModel) => new TrainingRunOptions
    {
        Preset = spec.Preset,
        Base = qaModel is null ? null : TrainingBase.FromFile(qaModel),
        Mode = spec.Mode,
        OutputDirectory = TrainDirectory(request.OutputDirectory, Scope(request), request.Fold, options.Seed),
        DataRoot = dataRoot,
        Tasks = TasksOf(request),
        Stages = [TrainingStages.MultiTask],
        Fold = new FoldSelection(request.Fold),
        MaxSteps = options.TrainSteps,
        MaxDuration = options.TrainSteps is null ? null : NoTimeLimit,
        Seed = options.Seed,
        Threads = options.Threads,
        CheckpointEverySteps = options.CheckpointEverySteps,
    }.Validated();

    /// <summary>The path of the fold's trained model (GGUF), training it (and the QA model first) when needed.</summary>
    public string EnsureModel(FoldRequest request, CancellationToken cancellationToken)
    {
        string? qaModel = null;
        if (spec.QaStage)
            qaModel = options.QaModel is { } given ? Path.GetFullPath(given) : Ensure(QaPlan(request.OutputDirectory), $"QA model{SeedNote}", cancellationToken);
        return Ensure(FoldPlan(request, qaModel), $"{Scope(request)} fold {request.Fold} model{SeedNote}", cancellationToken);
    }

    private string SeedNote => options.Seed == 1 ? "" : $" (seed {options.Seed})";

    private string Ensure(TrainingRunOptions plan, string what, CancellationToken cancellationToken)
    {
        var directory = plan.OutputDirectory;
        var modelPath = TrainingRun.ModelPath(directory, plan.ModelName);
        var manifestPath = TrainingRun.ManifestPath(directory, plan.ModelName);
        if (File.Exists(modelPath) && File.Exists(manifestPath))
        {
            var differences = Differences(TrainingRunManifest.ReadFrom(manifestPath), plan);
            if (differences.Count > 0)
                throw new InvalidDataException($"'{directory}' holds a {what} trained differently from what {spec} asks now " +
                                               $"({string.Join("; ", differences)}); use another --out, or delete that folder to retrain.");
            _logger.LogInformation("{What}: reusing {Model}", what, modelPath);
            return modelPath;
        }
        var resume = File.Exists(TrainingRun.CheckpointPath(directory, plan.ModelName));
        _logger.LogInformation(resume ? "{What}: resuming the interrupted training in {Directory}" : "{What}: training in {Directory}", what, directory);
        return CalibratedTraining.Execute(plan with { Resume = resume }, progress, _logger, cancellationToken).ModelPath;
    }

    /// <summary>What a finished run's manifest says differently from the plan (empty: it is the same training).</summary>
    public static IReadOnlyList<string> Differences(TrainingRunManifest manifest, TrainingRunOptions plan)
    {
        var differences = new List<string>();
        void Check<T>(string name, T had, T wanted)
        {
            if (!EqualityComparer<T>.Default.Equals(had, wanted)) differences.Add($"{name}: {had?.ToString() ?? "none"} there, {wanted?.ToString() ?? "none"} wanted");
        }
        Check("preset", manifest.Preset, plan.Preset.Name);
        Check("stages", string.Join(",", manifest.Stages), string.Join(",", plan.EffectiveStages));
        Check("mode", manifest.Mode, plan.Mode);
        Check("seed", manifest.Seed, plan.Seed);
        Check("fold", manifest.Data.Fold?.Index, plan.Fold?.Index);
        var trainer = plan.Preset.TrainerFor(plan.EffectiveStages[^1]);
        Check("max steps", manifest.Trainer.MaxSteps, plan.MaxSteps ?? trainer.MaxSteps);
        // The cosine schedule follows the clock when the clock is further along: another limit is another
        // training, unless the run ended well inside its own limit (then the steps led the schedule throughout).
        var wantedLimit = plan.MaxDuration ?? trainer.MaxDuration;
        if (!InsideBothLimits(manifest, wantedLimit))
            Check("time limit", manifest.Trainer.MaxDuration, wantedLimit);
        if (plan.Tasks is { } tasks)
            Check("tasks", string.Join(",", manifest.Data.Tasks.Select(t => t.Task).Order(StringComparer.Ordinal)),
                string.Join(",", tasks.Order(StringComparer.Ordinal)));
        if (plan.EffectiveBase.File is { } file)
            Check("base model (SHA-256)", manifest.BaseSha256, Sha256(file));
        else
            Check("base", manifest.Base, plan.EffectiveBase.ToString());
        return differences;
    }

    private static bool InsideBothLimits(TrainingRunManifest manifest, TimeSpan? wanted)
    {
        if (manifest.Outcome.StoppedByTimeLimit) return false;
        var elapsed = TimeSpan.FromSeconds(manifest.Outcome.ElapsedSeconds);
        // At a steady pace the clock's share of the schedule is elapsed / limit of the steps' share: half
        // leaves room for a slow start (JIT, a busy machine in the first minutes).
        return manifest.Trainer.MaxDuration is { } had && elapsed * 2 <= had && (wanted is not { } w || elapsed * 2 <= w);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
