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

    /// <param name="run">The run to execute when the model is missing; its output folder is replaced by the staging folder.</param>
    /// <param name="force">Train again even when the model is present (the old one stays until the new one is complete).</param>
    public static async Task<string> EnsureAsync(string home, TrainingRunOptions run, bool force = false,
        IProgress<TrainingProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var directory = DarwinGridHome.ModelsDirectory(home);
        var modelPath = TrainingRun.ModelPath(directory, run.ModelName);
        if (!force && File.Exists(modelPath))
        {
            logger?.LogInformation("Using the cached model {Path}", modelPath);
            return modelPath;
        }

        PrivateFiles.CreateDirectory(directory);
        var staging = Path.Combine(directory, $".{run.ModelName}.staging-{Guid.NewGuid():N}");
        try
        {
            logger?.LogInformation("Training {Model} into {Directory}", run.ModelName, directory);
            var result = await Task.Run(() => TrainingRun.Execute(run with { OutputDirectory = staging }, progress, logger, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
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
