using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Silo.Benchmarks.Loop;

/// <summary>
/// The virtual lab's starting model: darwin-mini's shape and recipe (preset mini, seed 1) trained
/// without one fold's test part (of every task: the leak guard also holds out those compositions in
/// the other tasks), so the pool is data it never saw. Capped at <see cref="Steps"/> optimizer steps
/// (about the shared darwin-mini's 902) to fit a 2-core machine. The preset's 17-minute budget is
/// lifted: a loaded machine would otherwise stop it earlier and the benchmark's figures would depend
/// on the load rather than on the seed. Cached under
/// <c>$DARWINGRID_HOME/models/bench-loop/</c>: same as <c>darwin train --preset mini --fold F
/// --max-steps 1000 --max-minutes 180 --seed 1 --out THAT_FOLDER</c>.
/// </summary>
public static class LoopBaseModel
{
    public const int Steps = 1000;

    public static string Folder(string home, int fold) => Path.Combine(home, "models", "bench-loop", $"mini-fold{fold}-{Steps}-steps");

    public static TrainingRunOptions Options(string folder, string dataRoot, int fold, int threads) => new()
    {
        Preset = TrainingPresets.Mini,
        OutputDirectory = folder,
        DataRoot = dataRoot,
        Fold = new FoldSelection(fold),
        MaxSteps = Steps,
        MaxDuration = TimeSpan.FromHours(3),
        Seed = 1,
        Threads = threads,
    };

    /// <summary>What the cached run did: steps, and whether the preset's 17-minute budget stopped it first (a loaded machine gets fewer steps).</summary>
    public static string Describe(string modelPath)
    {
        var manifestPath = Path.ChangeExtension(modelPath, null) + ".manifest.json";
        if (!File.Exists(manifestPath)) return "no manifest";
        var outcome = TrainingRunManifest.ReadFrom(manifestPath).Outcome;
        return $"{outcome.Steps} of {outcome.PlannedSteps} steps{(outcome.StoppedByTimeLimit ? ", stopped by the preset's time limit" : "")}, " +
               $"validation loss {outcome.FinalValidationLoss:F3}";
    }

    /// <summary>The cached model's path; trained first when it is missing (minutes).</summary>
    public static string Ensure(string home, string dataRoot, int fold, int threads, ILogger logger, CancellationToken cancellationToken)
    {
        var folder = Folder(home, fold);
        var path = TrainingRun.ModelPath(folder, "darwin-" + TrainingPresets.Mini.Name);
        if (File.Exists(path) && File.Exists(TrainingRun.ManifestPath(folder, "darwin-" + TrainingPresets.Mini.Name))) return path;
        logger.LogInformation("Training the loop's base model (preset mini, fold {Fold} held out, {Steps} steps) into {Folder}", fold, Steps, folder);
        // A run interrupted earlier leaves a checkpoint: continue it rather than refuse.
        var resume = File.Exists(TrainingRun.CheckpointPath(folder, "darwin-" + TrainingPresets.Mini.Name));
        return TrainingRun.Execute(Options(folder, dataRoot, fold, threads) with { Resume = resume }, logger: logger, cancellationToken: cancellationToken).ModelPath;
    }
}
