using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Training;
using DarwinGrid.Grains.Training;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// The options of <c>darwin train</c> and how they read: into <see cref="TrainingRunOptions"/> for a
/// run here, into a <see cref="TrainingJobSpec"/> for a run on the cluster.
/// </summary>
public sealed class TrainCommandOptions
{
    public Option<string?> Preset { get; } = new("--preset") { Description = "The recipe (trainer settings, mixture): mini (darwin-mini) or tiny (seconds, for smoke tests). Default: the one --base new:<preset> names, else mini." };
    public Option<string?> Base { get; } = new("--base") { Description = "What to start from: new:mini, new:tiny (random weights of the preset's shape) or FILE.gguf (an existing LLaMA GGUF); with --cluster also a registered version id." };
    public Option<string?> Output { get; } = new("--out") { Description = "Folder for <model>.gguf (and <model>-<stage>.gguf per earlier stage), .manifest.json, .loss.csv and the checkpoint (training here, without --cluster)." };
    public Option<string?> Tasks { get; } = new("--tasks") { Description = "Comma-separated task names instead of the preset's mixture." };
    public Option<string?> TaskWeights { get; } = new("--task-weights") { Description = "Stage-2 sampling weights, e.g. matbench_expt_gap=4,matbench_glass=2 (others keep the preset's, default 1)." };
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Epochs per stage (default: the preset's); early stopping may end sooner." };
    public Option<int?> MaxSteps { get; } = new("--max-steps") { Description = "Stop each stage after this many optimizer steps." };
    public Option<double?> MaxMinutes { get; } = new("--max-minutes") { Description = "Wall-clock limit per stage in minutes (default: the preset's)." };
    public Option<float?> LearningRate { get; } = new("--learning-rate") { Description = "Peak learning rate (default: the preset's)." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the mixture, initial weights and shuffles.", DefaultValueFactory = _ => 1 };
    public Option<int?> Fold { get; } = new("--fold") { Description = "Leave out this cross-validation fold's test part (0-4; Matbench folds)." };
    public Option<string?> Format { get; } = new("--format") { Description = "Prompt format: darwin or compact (default: the preset's)." };
    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads (0 = all cores).", DefaultValueFactory = _ => 0 };
    public Option<string?> Stages { get; } = new("--stages") { Description = "Training stages in order, comma-separated: qa (SciQAG literature QA), multitask (default: the preset's)." };
    public Option<string> Mode { get; } = new("--mode") { Description = "full (every weight) or lora (adapter matrices on a frozen base).", DefaultValueFactory = _ => "full" };
    public Option<bool> Merge { get; } = new("--merge") { Description = "With --mode lora: also write the base merged with the final adapter as <name>.gguf (adapted matrices F16, the rest in the base's types); without it the run's model is the adapter." };
    public Option<int> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Save a checkpoint every N optimizer steps (0: only at epoch and stage ends).", DefaultValueFactory = _ => 100 };
    public Option<string?> ElementInit { get; } = new("--element-init") { Description = "How a new model's element-symbol embeddings start: random or magpie (a fixed projection of the Magpie element properties; default: the preset's)." };
    public Option<double?> Augment { get; } = new("--augment") { Description = "Share (0-1) of composition examples respelled in another element order, same answer (default: the preset's)." };
    public Option<int?> Window { get; } = new("--window") { Description = "Training window in tokens (default: from the tokenized data, at least the preset's). A window that would drop more than 1% of a task's examples or any validation record is refused." };
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the interrupted run whose checkpoint is in --out (same options required)." };
    public Option<string?> DataDir { get; } = CommonOptions.DataDir();
    public Option<bool> Cluster { get; } = GridOptions.Cluster();
    public Option<string?> Home { get; } = GridOptions.Home();
    public Option<int?> GatewayPort { get; } = GridOptions.GatewayPort();
    public Option<string?> RunId { get; } = new("--run-id") { Description = "With --cluster: the run's id (default: run-<time>); the same id again follows the run instead of starting another." };
    public Option<string?> Cancel { get; } = new("--cancel") { Description = "With --cluster: cancel the training run with this id." };
    public Option<string?> Name { get; } = new("--name") { Description = "With --cluster: the model name; the version is registered as <name>:<run-id> (default darwin-<preset>)." };
    public Option<bool> MakeDefault { get; } = new("--default") { Description = "With --cluster: make the registered version the default for its tasks." };
    public Option<int?> EvalLimit { get; } = new("--eval-limit") { Description = "With --cluster: score at most this many held-out records per task on registration (default: the whole fold)." };

    /// <summary>In the order <c>darwin train --help</c> lists them.</summary>
    public IEnumerable<Option> All =>
    [
        Preset, Base, Output, Tasks, TaskWeights, Epochs, MaxSteps, MaxMinutes, LearningRate, Seed, Fold, Format, Threads, Stages, Mode, Merge,
        CheckpointEvery, ElementInit, Augment, Window, Resume, DataDir, Cluster, Home, GatewayPort, RunId, Cancel, Name, MakeDefault, EvalLimit,
    ];

    /// <summary>A run here, writing into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="ArgumentException">An option's value is out of range or unknown (the message names the option).</exception>
    public TrainingRunOptions RunOptions(ParseResult r, string outputDirectory)
    {
        var start = r.GetValue(Base) is { } b ? TrainingBase.Parse(b) : null;
        var recipe = TrainingPresets.Get(r.GetValue(Preset) ?? start?.PresetName ?? TrainingPresets.Mini.Name);
        recipe = recipe with
        {
            ElementEmbeddings = r.GetValue(ElementInit) is { } init ? ParseElementInit(init) : recipe.ElementEmbeddings,
            FormulaAugmentation = r.GetValue(Augment) ?? recipe.FormulaAugmentation,
        };
        return new TrainingRunOptions
        {
            Preset = recipe,
            Base = start,
            Mode = ParseMode(r.GetValue(Mode)!),
            Merge = r.GetValue(Merge),
            OutputDirectory = outputDirectory,
            DataRoot = SharedDataLocator.Locate(r.GetValue(DataDir)),
            Tasks = ParseTasks(r.GetValue(Tasks)),
            TaskWeights = ParseTaskWeights(r.GetValue(TaskWeights)),
            Epochs = r.GetValue(Epochs),
            MaxSteps = r.GetValue(MaxSteps),
            MaxDuration = r.GetValue(MaxMinutes) is { } minutes ? Minutes(minutes) : null,
            LearningRate = r.GetValue(LearningRate),
            Seed = r.GetValue(Seed),
            Fold = r.GetValue(Fold) is { } k ? new FoldSelection(k) : null,
            Format = r.GetValue(Format) is { } f ? PromptFormats.Get(f) : null,
            Threads = r.GetValue(Threads),
            Stages = Split(r.GetValue(Stages))?.Select(s => s.ToLowerInvariant()).ToArray(),
            CheckpointEverySteps = r.GetValue(CheckpointEvery),
            Resume = r.GetValue(Resume),
            Window = r.GetValue(Window),
        }.Validated();
    }

    /// <summary>A run on the cluster; the grain checks the rest (tasks, stages) when it starts.</summary>
    public TrainingJobSpec JobSpec(ParseResult r)
    {
        if (r.GetValue(Fold) is { } heldOut && heldOut != TrainerSpecMapping.HeldOutFold)
            throw new ArgumentException($"Runs on the cluster always hold out fold {TrainerSpecMapping.HeldOutFold} (to score the registered version on it); drop --fold {heldOut}.");
        return new TrainingJobSpec(
            r.GetValue(Preset) ?? (r.GetValue(Base) is { } b && b.StartsWith("new:", StringComparison.OrdinalIgnoreCase) ? b[4..] : TrainingPresets.Mini.Name),
            ClusterBase(r.GetValue(Base)),
            [.. Split(r.GetValue(Stages)) ?? []],
            ParseMode(r.GetValue(Mode)!),
            [.. Split(r.GetValue(Tasks)) ?? []],
            r.GetValue(Epochs),
            r.GetValue(Seed),
            r.GetValue(MaxSteps),
            r.GetValue(MaxMinutes) is { } minutes ? Minutes(minutes) : null,
            r.GetValue(Format),
            r.GetValue(Threads),
            r.GetValue(Name),
            EvaluationLimit: r.GetValue(EvalLimit),
            MakeDefault: r.GetValue(MakeDefault));
    }

    /// <summary>The grain's base: "new" for a new model (new:&lt;preset&gt; names the preset), else a version id or a GGUF path.</summary>
    private static string ClusterBase(string? text) =>
        text is null || text.Equals("new", StringComparison.OrdinalIgnoreCase) || text.StartsWith("new:", StringComparison.OrdinalIgnoreCase) ? TrainingJobSpec.NewModel : text;

    private static ElementEmbeddingInit ParseElementInit(string text) => text.ToLowerInvariant() switch
    {
        "random" => ElementEmbeddingInit.Random,
        "magpie" => ElementEmbeddingInit.Magpie,
        _ => throw new ArgumentException($"--element-init must be random or magpie (got '{text}')."),
    };

    private static TrainingMode ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "full" => TrainingMode.Full,
        "lora" => TrainingMode.Lora,
        _ => throw new ArgumentException($"--mode must be full or lora (got '{text}')."),
    };

    /// <summary>"task=weight,task=weight" (tasks checked against the catalog); null when none are given.</summary>
    public static IReadOnlyDictionary<string, double>? ParseTaskWeights(string? text)
    {
        var parts = Split(text);
        if (parts is null) return null;
        var weights = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts)
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !double.TryParse(pair[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight))
                throw new ArgumentException($"--task-weights: '{part}' is not task=weight.");
            var task = Domain.Tasks.TaskCatalog.Get(pair[0]);
            if (!weights.TryAdd(task.Name, weight)) throw new ArgumentException($"--task-weights: '{task.Name}' is given twice.");
        }
        return weights;
    }

    /// <summary>Task names from "a,b,c" (checked against the catalog); null when none are given.</summary>
    public static IReadOnlyList<string>? ParseTasks(string? text)
    {
        var names = Split(text);
        if (names is null) return null;
        foreach (var name in names) Domain.Tasks.TaskCatalog.Get(name);
        return names;
    }

    private static IReadOnlyList<string>? Split(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? null : parts;
    }

    private static TimeSpan Minutes(double minutes) =>
        double.IsFinite(minutes) && minutes > 0 ? TimeSpan.FromMinutes(minutes) : throw new ArgumentException($"--max-minutes must be positive (got {minutes}).");
}
