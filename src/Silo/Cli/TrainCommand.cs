using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Grains.Calibration;
using DarwinGrid.Grains.Training;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin train</c>: DARWIN's training stages from a new model or a GGUF, here (<c>--out</c>, with
/// checkpoints and --resume) or with <c>--cluster</c> as a training run on a running cluster, which
/// registers the model version.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string?>("--preset") { Description = "The recipe (trainer settings, mixture): mini (darwin-mini) or tiny (seconds, for smoke tests). Default: the one --base new:<preset> names, else mini." };
        var baseModel = new Option<string?>("--base") { Description = "What to start from: new:mini, new:tiny (random weights of the preset's shape) or FILE.gguf (an existing LLaMA GGUF); with --cluster also a registered version id." };
        var output = new Option<string?>("--out") { Description = "Folder for <model>.gguf (and <model>-<stage>.gguf per earlier stage), .manifest.json, .loss.csv and the checkpoint (training here, without --cluster)." };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated task names instead of the preset's mixture." };
        var taskWeights = new Option<string?>("--task-weights") { Description = "Stage-2 sampling weights, e.g. matbench_expt_gap=4,matbench_glass=2 (others keep the preset's, default 1)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs per stage (default: the preset's); early stopping may end sooner." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop each stage after this many optimizer steps." };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Wall-clock limit per stage in minutes (default: the preset's)." };
        var learningRate = new Option<float?>("--learning-rate") { Description = "Peak learning rate (default: the preset's)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the mixture, initial weights and shuffles.", DefaultValueFactory = _ => 1 };
        var fold = new Option<int?>("--fold") { Description = "Leave out this cross-validation fold's test part (0-4; Matbench folds)." };
        var format = new Option<string?>("--format") { Description = "Prompt format: darwin or compact (default: the preset's)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var stages = new Option<string?>("--stages") { Description = "Training stages in order, comma-separated: qa (SciQAG literature QA), multitask (default: the preset's)." };
        var mode = new Option<string>("--mode") { Description = "full (every weight) or lora (adapter matrices on a frozen base).", DefaultValueFactory = _ => "full" };
        var merge = new Option<bool>("--merge") { Description = "With --mode lora: also write the base merged with the final adapter as <name>.gguf (adapted matrices F16, the rest in the base's types); without it the run's model is the adapter." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Save a checkpoint every N optimizer steps (0: only at epoch and stage ends).", DefaultValueFactory = _ => 100 };
        var elementInit = new Option<string?>("--element-init") { Description = "How a new model's element-symbol embeddings start: random or magpie (a fixed projection of the Magpie element properties; default: the preset's)." };
        var augment = new Option<double?>("--augment") { Description = "Share (0-1) of composition examples respelled in another element order, same answer (default: the preset's)." };
        var window = new Option<int?>("--window") { Description = "Training window in tokens (default: from the tokenized data, at least the preset's). A window that would drop more than 1% of a task's examples or any validation record is refused." };
        var resume = new Option<bool>("--resume") { Description = "Continue the interrupted run whose checkpoint is in --out (same options required)." };
        var dataDir = CommonOptions.DataDir();
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        var gatewayPort = GridOptions.GatewayPort();
        var runId = new Option<string?>("--run-id") { Description = "With --cluster: the run's id (default: run-<time>); the same id again follows the run instead of starting another." };
        var cancel = new Option<string?>("--cancel") { Description = "With --cluster: cancel the training run with this id." };
        var name = new Option<string?>("--name") { Description = "With --cluster: the model name; the version is registered as <name>:<run-id> (default darwin-<preset>)." };
        var makeDefault = new Option<bool>("--default") { Description = "With --cluster: make the registered version the default for its tasks." };
        var evalLimit = new Option<int?>("--eval-limit") { Description = "With --cluster: score at most this many held-out records per task on registration (default: the whole fold)." };

        var command = new Command("train", "Train a DarwinGrid model on CPU (self-test first): DARWIN's stages (qa, multitask) from a new model or a GGUF; writes each stage's F32 GGUF " +
                                           "(or LoRA adapter), a JSON manifest and the loss curve, with resumable checkpoints. With --cluster the run goes to a running cluster, which registers the model version.");
        foreach (var option in new Option[] { preset, baseModel, output, tasks, taskWeights, epochs, maxSteps, maxMinutes, learningRate, seed, fold, format, threads, stages, mode, merge,
                     checkpointEvery, elementInit, augment, window, resume, dataDir, cluster, home, gatewayPort, runId, cancel, name, makeDefault, evalLimit })
            command.Options.Add(option);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var stdout = r.InvocationConfiguration.Output;
            var stderr = r.InvocationConfiguration.Error;
            if (r.GetValue(cluster))
            {
                try
                {
                    await using var grid = await GridConnection.OpenAsync(cluster: true, GridOptions.Overrides(r, home, gatewayPort: gatewayPort), ct);
                    if (r.GetValue(cancel) is { Length: > 0 } cancelId)
                        return await ClusterTraining.CancelAsync(grid.Client, cancelId, stdout, stderr, ct);
                    if (r.GetValue(fold) is { } heldOut && heldOut != TrainerSpecMapping.HeldOutFold)
                        throw new ArgumentException($"Runs on the cluster always hold out fold {TrainerSpecMapping.HeldOutFold} (to score the registered version on it); drop --fold {heldOut}.");
                    var spec = new TrainingJobSpec(
                        r.GetValue(preset) ?? (r.GetValue(baseModel) is { } b && b.StartsWith("new:", StringComparison.OrdinalIgnoreCase) ? b[4..] : TrainingPresets.Mini.Name),
                        ClusterBase(r.GetValue(baseModel)),
                        [.. Split(r.GetValue(stages)) ?? []],
                        ParseMode(r.GetValue(mode)!),
                        [.. Split(r.GetValue(tasks)) ?? []],
                        r.GetValue(epochs),
                        r.GetValue(seed),
                        r.GetValue(maxSteps),
                        r.GetValue(maxMinutes) is { } clusterMinutes ? Minutes(clusterMinutes) : null,
                        r.GetValue(format),
                        r.GetValue(threads),
                        r.GetValue(name),
                        EvaluationLimit: r.GetValue(evalLimit),
                        MakeDefault: r.GetValue(makeDefault));
                    return await ClusterTraining.SubmitAsync(grid.Client, r.GetValue(runId) ?? ClusterTraining.NewRunId(), spec, stdout, stderr, ct);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    stderr.WriteLine($"darwin train: {e.Message}");
                    return 1;
                }
            }
            if (r.GetValue(cancel) is not null || r.GetValue(runId) is not null)
            {
                stderr.WriteLine("darwin train: --cancel and --run-id are for runs on a cluster; add --cluster.");
                return 1;
            }
            if (r.GetValue(output) is not { Length: > 0 } outputFolder)
            {
                stderr.WriteLine("darwin train: --out FOLDER is required (or --cluster to train on a running cluster).");
                return 1;
            }
            var outputDirectory = Path.GetFullPath(outputFolder);
            try
            {
                var start = r.GetValue(baseModel) is { } b ? TrainingBase.Parse(b) : null;
                var recipe = TrainingPresets.Get(r.GetValue(preset) ?? start?.PresetName ?? TrainingPresets.Mini.Name);
                recipe = recipe with
                {
                    ElementEmbeddings = r.GetValue(elementInit) is { } init ? ParseElementInit(init) : recipe.ElementEmbeddings,
                    FormulaAugmentation = r.GetValue(augment) ?? recipe.FormulaAugmentation,
                };
                var options = new TrainingRunOptions
                {
                    Preset = recipe,
                    Base = start,
                    Mode = ParseMode(r.GetValue(mode)!),
                    Merge = r.GetValue(merge),
                    OutputDirectory = outputDirectory,
                    DataRoot = SharedDataLocator.Locate(r.GetValue(dataDir)),
                    Tasks = ParseTasks(r.GetValue(tasks)),
                    TaskWeights = ParseTaskWeights(r.GetValue(taskWeights)),
                    Epochs = r.GetValue(epochs),
                    MaxSteps = r.GetValue(maxSteps),
                    MaxDuration = r.GetValue(maxMinutes) is { } minutes ? Minutes(minutes) : null,
                    LearningRate = r.GetValue(learningRate),
                    Seed = r.GetValue(seed),
                    Fold = r.GetValue(fold) is { } k ? new FoldSelection(k) : null,
                    Format = r.GetValue(format) is { } f ? PromptFormats.Get(f) : null,
                    Threads = r.GetValue(threads),
                    Stages = Split(r.GetValue(stages))?.Select(s => s.ToLowerInvariant()).ToArray(),
                    CheckpointEverySteps = r.GetValue(checkpointEvery),
                    Resume = r.GetValue(resume),
                    Window = r.GetValue(window),
                }.Validated();
                var bar = new ConsoleProgressBar(stdout, TimeSpan.FromSeconds(1), redrawInPlace: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out));
                var logger = new WriterLogger(stdout, bar.EndLine);
                var result = CalibratedTraining.Execute(options, bar, logger, ct);
                bar.EndLine();
                var outcome = result.Manifest.Outcome;
                stdout.WriteLine($"Done: {outcome.Steps} steps in {TimeSpan.FromSeconds(outcome.ElapsedSeconds):hh\\:mm\\:ss}, {outcome.TokensPerSecond:F0} tokens/s; " +
                                 $"validation loss {outcome.FinalValidationLoss:F4}, answer-token accuracy {outcome.FinalValidationAccuracy:P1} (best epoch {outcome.BestEpoch})" +
                                 (outcome.StoppedEarly ? "; stopped early on a plateau" : "") + (outcome.StoppedByTimeLimit ? "; stopped by the time limit" : ""));
                foreach (var stage in result.Manifest.StageRuns.SkipLast(1))
                    stdout.WriteLine($"Stage {stage.Stage}: {Path.Combine(outputDirectory, stage.OutputFile)}");
                stdout.WriteLine($"Model: {result.ModelPath}");
                stdout.WriteLine($"Manifest: {result.ManifestPath}");
                stdout.WriteLine($"Loss curve: {result.LossCurvePath}");
                return 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                stderr.WriteLine($"darwin train: cancelled. The last checkpoint in {outputDirectory} is kept; continue with the same options and --resume.");
                return 130;
            }
            catch (TrainingDivergedException e)
            {
                stderr.WriteLine($"darwin train: {e.Message}");
                return 1;
            }
            catch (NotSupportedException e)
            {
                stderr.WriteLine($"darwin train: {e.Message}");
                return 1;
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException or DirectoryNotFoundException or FileNotFoundException or InvalidDataException or IOException)
            {
                stderr.WriteLine($"darwin train: {e.Message}");
                return 1;
            }
        });
        return command;
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
