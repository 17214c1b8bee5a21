using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Grains.Training;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin train</c>: train a preset's model from scratch on the multi-task mixture, here (<c>--out</c>)
/// or with <c>--cluster</c> as a training run on a running cluster, which registers the model version.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string?>("--preset") { Description = "The recipe: mini (darwin-mini, ~20 minutes on 2 cores) or tiny (seconds, for smoke tests)." };
        var output = new Option<string?>("--out") { Description = "Folder for darwin-<preset>.gguf, its .manifest.json and .loss.csv (training here, without --cluster)." };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated task names instead of the preset's mixture." };
        var epochs = new Option<int?>("--epochs") { Description = "Mixture epochs (default: the preset's); early stopping may end sooner." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after this many optimizer steps." };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Wall-clock limit in minutes (default: the preset's)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the mixture, initial weights and shuffles.", DefaultValueFactory = _ => 1 };
        var fold = new Option<int?>("--fold") { Description = "Leave out this cross-validation fold's test part (0-4; Matbench folds)." };
        var format = new Option<string?>("--format") { Description = "Prompt format: darwin or compact (default: the preset's)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var stages = new Option<string>("--stages") { Description = "Training stages, comma-separated (multitask; qa comes later).", DefaultValueFactory = _ => TrainingStages.MultiTask };
        var dataDir = CommonOptions.DataDir();
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        var gatewayPort = GridOptions.GatewayPort();
        var runId = new Option<string?>("--run-id") { Description = "With --cluster: the run's id (default: run-<time>); the same id again follows the run instead of starting another." };
        var cancel = new Option<string?>("--cancel") { Description = "With --cluster: cancel the training run with this id." };
        var name = new Option<string?>("--name") { Description = "With --cluster: the model name; the version is registered as <name>:<run-id> (default darwin-<preset>)." };
        var baseModel = new Option<string>("--base") { Description = "With --cluster: 'new' (from random weights), a registered version id or a GGUF path.", DefaultValueFactory = _ => TrainingJobSpec.NewModel };
        var mode = new Option<string>("--mode") { Description = "With --cluster: full or lora.", DefaultValueFactory = _ => "full" };
        var makeDefault = new Option<bool>("--default") { Description = "With --cluster: make the registered version the default for its tasks." };
        var evalLimit = new Option<int?>("--eval-limit") { Description = "With --cluster: score at most this many held-out records per task on registration (default: the whole fold)." };

        var command = new Command("train", "Train a DarwinGrid model from scratch on CPU (self-test first); writes an F32 GGUF, a JSON manifest and the loss curve. " +
                                           "With --cluster the run goes to a running cluster, which registers the model version.");
        foreach (var option in new Option[] { preset, output, tasks, epochs, maxSteps, maxMinutes, seed, fold, format, threads, stages, dataDir,
                     cluster, home, gatewayPort, runId, cancel, name, baseModel, mode, makeDefault, evalLimit })
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
                        r.GetValue(preset) ?? throw new ArgumentException("--preset is required (mini or tiny)."),
                        r.GetValue(baseModel)!,
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
            try
            {
                if (r.GetValue(cancel) is not null || r.GetValue(runId) is not null)
                    throw new ArgumentException("--cancel and --run-id are for runs on a cluster; add --cluster.");
                var options = new TrainingRunOptions
                {
                    Preset = TrainingPresets.Get(r.GetValue(preset) ?? throw new ArgumentException("--preset is required (mini or tiny).")),
                    OutputDirectory = Path.GetFullPath(r.GetValue(output) ?? throw new ArgumentException("--out FOLDER is required (or --cluster to train on a running cluster).")),
                    DataRoot = SharedDataLocator.Locate(r.GetValue(dataDir)),
                    Tasks = ParseTasks(r.GetValue(tasks)),
                    Epochs = r.GetValue(epochs),
                    MaxSteps = r.GetValue(maxSteps),
                    MaxDuration = r.GetValue(maxMinutes) is { } minutes ? Minutes(minutes) : null,
                    Seed = r.GetValue(seed),
                    Fold = r.GetValue(fold) is { } k ? new FoldSelection(k) : null,
                    Format = r.GetValue(format) is { } f ? PromptFormats.Get(f) : null,
                    Threads = r.GetValue(threads),
                    Stages = Split(r.GetValue(stages)) ?? [],
                }.Validated();
                var bar = new ConsoleProgressBar(stdout, TimeSpan.FromSeconds(1), redrawInPlace: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out));
                var logger = new WriterLogger(stdout, bar.EndLine);
                var result = TrainingRun.Execute(options, bar, logger, ct);
                bar.EndLine();
                var outcome = result.Manifest.Outcome;
                stdout.WriteLine($"Done: {outcome.Steps} steps in {TimeSpan.FromSeconds(outcome.ElapsedSeconds):hh\\:mm\\:ss}, {outcome.TokensPerSecond:F0} tokens/s; " +
                                 $"validation loss {outcome.FinalValidationLoss:F4}, answer-token accuracy {outcome.FinalValidationAccuracy:P1} (best epoch {outcome.BestEpoch})" +
                                 (outcome.StoppedEarly ? "; stopped early on a plateau" : "") + (outcome.StoppedByTimeLimit ? "; stopped by the time limit" : ""));
                stdout.WriteLine($"Model: {result.ModelPath}");
                stdout.WriteLine($"Manifest: {result.ManifestPath}");
                stdout.WriteLine($"Loss curve: {result.LossCurvePath}");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException or DirectoryNotFoundException or FileNotFoundException or InvalidDataException or IOException)
            {
                stderr.WriteLine($"darwin train: {e.Message}");
                return 1;
            }
        });
        return command;
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

    private static TrainingMode ParseMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "full" => TrainingMode.Full,
        "lora" => TrainingMode.Lora,
        _ => throw new ArgumentException($"Unknown --mode '{text}' (full or lora)."),
    };

    private static TimeSpan Minutes(double minutes) =>
        double.IsFinite(minutes) && minutes > 0 ? TimeSpan.FromMinutes(minutes) : throw new ArgumentException($"--max-minutes must be positive (got {minutes}).");
}
