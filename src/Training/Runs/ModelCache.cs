using DarwinGrid.Training.Optimization;
using Microsoft.Extensions.Logging;
using DarwinGrid.Domain.Files;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// Trained models kept under <c>HOME/models/</c>: a model that is there is reused; a missing one is
/// trained first. A run writes into a hidden staging folder beside the cache and its files are
/// moved in with the model last, so <c>models/darwin-x.gguf</c> exists only once it is complete
/// (an interrupted run leaves no model; its staging folder is removed).
/// </summary>
public static class ModelCache
{
    /// <summary>Where <paramref name="modelName"/>'s GGUF lives in the cache of <paramref name="home"/>.</summary>
    public static string ModelPath(string home, string modelName) => TrainingRun.ModelPath(DarwinGridHome.ModelsDirectory(home), modelName);

    /// <summary>
    /// Whether the cache holds <paramref name="modelName"/> trained with <paramref name="preset"/>'s current
    /// recipe: its manifest names the same recipe hash. A model without a manifest (put there by hand)
    /// counts as current; one whose manifest names another recipe, or none, does not.
    /// </summary>
    public static bool IsCurrent(string home, string modelName, TrainingPreset preset)
    {
        var directory = DarwinGridHome.ModelsDirectory(home);
        if (!File.Exists(TrainingRun.ModelPath(directory, modelName))) return false;
        var manifestPath = TrainingRun.ManifestPath(directory, modelName);
        if (!File.Exists(manifestPath)) return true;
        try
        {
            return TrainingRunManifest.ReadFrom(manifestPath).PresetSha256 == PresetRecipe.Sha256(preset);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <param name="run">The run to execute when the model is missing; its output folder is replaced by the staging folder.</param>
    /// <param name="force">Train again even when the model is present (the old one stays until the new one is complete).</param>
    /// <param name="finish">Runs on the trained model while it is still staged (e.g. calibrating it), so the cache only ever holds finished models.</param>
    public static async Task<string> EnsureAsync(string home, TrainingRunOptions run, bool force = false,
        IProgress<TrainingProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default,
        Func<TrainingRunResult, CancellationToken, Task>? finish = null)
    {
        var directory = DarwinGridHome.ModelsDirectory(home);
        var modelPath = TrainingRun.ModelPath(directory, run.ModelName);
        if (!force && IsCurrent(home, run.ModelName, run.Preset))
        {
            logger?.LogInformation("Using the cached model {Path}", modelPath);
            return modelPath;
        }
        if (!force && File.Exists(modelPath))
            logger?.LogInformation("The cached model {Path} was trained with another recipe of preset {Preset}: training it again", modelPath, run.Preset.Name);

        PrivateFiles.CreateDirectory(directory);
        var staging = Path.Combine(directory, $".{run.ModelName}.staging-{Guid.NewGuid():N}");
        try
        {
            logger?.LogInformation("Training {Model} into {Directory}", run.ModelName, directory);
            var result = await Task.Run(() => TrainingRun.Execute(run with { OutputDirectory = staging }, progress, logger, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            if (finish is not null) await finish(result, cancellationToken).ConfigureAwait(false);
            File.Move(result.ManifestPath, TrainingRun.ManifestPath(directory, run.ModelName), overwrite: true);
            File.Move(result.LossCurvePath, TrainingRun.LossCurvePath(directory, run.ModelName), overwrite: true);
            File.Move(result.ModelPath, modelPath, overwrite: true);
            return modelPath;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
