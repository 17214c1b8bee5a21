using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin train</c>: train a preset's model from scratch on the multi-task mixture.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "The recipe: mini (darwin-mini, ~20 minutes on 2 cores) or tiny (seconds, for smoke tests).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for darwin-<preset>.gguf, its .manifest.json and .loss.csv.", Required = true };
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

        var command = new Command("train", "Train a DarwinGrid model from scratch on CPU (self-test first); writes an F32 GGUF, a JSON manifest and the loss curve.");
        foreach (var option in new Option[] { preset, output, tasks, epochs, maxSteps, maxMinutes, seed, fold, format, threads, stages, dataDir })
            command.Options.Add(option);
        command.SetAction((ParseResult r, CancellationToken ct) =>
        {
            var stdout = r.InvocationConfiguration.Output;
            var stderr = r.InvocationConfiguration.Error;
            try
            {
                var options = new TrainingRunOptions
                {
                    Preset = TrainingPresets.Get(r.GetValue(preset)!),
                    OutputDirectory = Path.GetFullPath(r.GetValue(output)!),
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
                return Task.FromResult(0);
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException or DirectoryNotFoundException or FileNotFoundException or InvalidDataException or IOException)
            {
                stderr.WriteLine($"darwin train: {e.Message}");
                return Task.FromResult(1);
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

    private static TimeSpan Minutes(double minutes) =>
        double.IsFinite(minutes) && minutes > 0 ? TimeSpan.FromMinutes(minutes) : throw new ArgumentException($"--max-minutes must be positive (got {minutes}).");
}
