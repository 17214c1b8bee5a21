using DarwinGrid.Domain.Data;
using DarwinGrid.Training.Optimization;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// darwin-mini, the model the demo screens with: <c>$DARWINGRID_HOME/models/darwin-mini.gguf</c>,
/// trained on first use (preset <see cref="TrainingPresets.Mini"/>, all records, seed 1) with its
/// manifest and loss curve beside it.
/// </summary>
public static class DarwinMiniModel
{
    public const string ModelName = "darwin-mini";

    /// <summary>Whether darwin-mini is cached under <paramref name="home"/> with the current recipe (else the next use trains it).</summary>
    public static bool IsCached(string? home) => ModelCache.IsCurrent(DarwinGridHome.Resolve(home), ModelName, TrainingPresets.Mini);

    /// <param name="home">DarwinGrid's home folder; null for <see cref="DarwinGridHome.Resolve"/>.</param>
    /// <param name="dataDir">The shared data folder; null to locate it (DARWINGRID_DATA or shared/data above the working directory).</param>
    public static Task<string> EnsureAsync(string? home, string? dataDir, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        EnsureAsync(home, dataDir, progress, cancellationToken, force: false);

    /// <param name="finish">Runs on a newly trained model before it enters the cache (the silo calibrates it there).</param>
    public static Task<string> EnsureAsync(string? home, string? dataDir, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken,
        bool force, int threads = 0, ILogger? logger = null, Func<TrainingRunResult, string, CancellationToken, Task>? finish = null)
    {
        var resolvedHome = DarwinGridHome.Resolve(home);
        var modelPath = ModelCache.ModelPath(resolvedHome, ModelName);
        // A cached model of the current recipe needs no data folder.
        if (!force && IsCached(resolvedHome)) return Task.FromResult(modelPath);
        var run = new TrainingRunOptions
        {
            Preset = TrainingPresets.Mini,
            OutputDirectory = DarwinGridHome.ModelsDirectory(resolvedHome),
            DataRoot = SharedDataLocator.Locate(dataDir),
            Threads = threads,
        };
        return ModelCache.EnsureAsync(resolvedHome, run, force, progress, logger, cancellationToken,
            finish is null ? null : (result, ct) => finish(result, run.DataRoot, ct));
    }
}
