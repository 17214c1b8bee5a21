using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Training.Tests.Runs;

/// <summary>The model cache under HOME/models: where it is, reuse of a present model, training a missing one, nothing half-written.</summary>
public sealed class ModelCacheTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("darwin-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private TrainingRunOptions TinyRun(int maxSteps = 2) => new()
    {
        Preset = TrainingPresets.Tiny,
        OutputDirectory = "ignored: the cache stages the run",
        DataRoot = SharedData.Root,
        MaxSteps = maxSteps,
        Threads = 1,
    };

    [Fact]
    public void HomeIsTheExplicitPathElseTheEnvironmentVariableElseLocalShare()
    {
        var saved = Environment.GetEnvironmentVariable(DarwinGridHome.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DarwinGridHome.EnvironmentVariable, _home);
            Assert.Equal(_home, DarwinGridHome.Resolve());
            Assert.Equal(Path.GetFullPath("/tmp/elsewhere"), DarwinGridHome.Resolve("/tmp/elsewhere"));

            Environment.SetEnvironmentVariable(DarwinGridHome.EnvironmentVariable, null);
            var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(profile, ".local", "share", "darwingrid"), DarwinGridHome.Resolve());
            Assert.Equal(Path.Combine(profile, ".local", "share", "darwingrid", "models", "darwin-mini.gguf"),
                ModelCache.ModelPath(DarwinGridHome.Resolve(), DarwinMiniModel.ModelName));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DarwinGridHome.EnvironmentVariable, saved);
        }
    }

    [Fact]
    public async Task AMissingModelIsTrainedIntoTheCacheWithItsManifestAndNothingElseIsLeft()
    {
        var path = await ModelCache.EnsureAsync(_home, TinyRun());

        Assert.Equal(Path.Combine(_home, "models", "darwin-tiny.gguf"), path);
        var checkpoint = LlamaCheckpoint.Load(path);
        Assert.Equal(TrainingPresets.Tiny.EmbeddingLength, checkpoint.Hyperparameters.EmbeddingLength);
        var manifest = TrainingRunManifest.ReadFrom(Path.Combine(_home, "models", "darwin-tiny.manifest.json"));
        Assert.Equal(2, manifest.Outcome.Steps);
        Assert.True(File.Exists(Path.Combine(_home, "models", "darwin-tiny.loss.csv")));
        Assert.Equal(["darwin-tiny.gguf", "darwin-tiny.loss.csv", "darwin-tiny.manifest.json"],
            Directory.EnumerateFileSystemEntries(Path.Combine(_home, "models")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task APresentModelIsReusedWithoutTrainingOrReadingData()
    {
        var path = ModelCache.ModelPath(_home, "darwin-tiny");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "a model trained earlier");

        var returned = await ModelCache.EnsureAsync(_home, TinyRun() with { DataRoot = Path.Combine(_home, "no-data-here") });
        Assert.Equal(path, returned);
        Assert.Equal("a model trained earlier", File.ReadAllText(path));

        var mini = ModelCache.ModelPath(_home, DarwinMiniModel.ModelName);
        File.WriteAllText(mini, "darwin-mini from an earlier run");
        Assert.Equal(mini, await DarwinMiniModel.EnsureAsync(_home, Path.Combine(_home, "no-data-here"), null, CancellationToken.None));
        Assert.Equal("darwin-mini from an earlier run", File.ReadAllText(mini));
    }

    [Fact]
    public async Task ForceReplacesThePresentModelOnlyOnceTheNewOneIsComplete()
    {
        var path = ModelCache.ModelPath(_home, "darwin-tiny");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "old");

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelCache.EnsureAsync(_home, TinyRun(), force: true, cancellationToken: cancelled.Token));
        Assert.Equal("old", File.ReadAllText(path));

        await ModelCache.EnsureAsync(_home, TinyRun(), force: true);
        Assert.Equal(TrainingPresets.Tiny.BlockCount, LlamaCheckpoint.Load(path).Hyperparameters.BlockCount);
    }

    [Fact]
    public async Task ACachedModelOfAnotherRecipeIsTrainedAgainAndOneOfTheSameRecipeIsReused()
    {
        var path = await ModelCache.EnsureAsync(_home, TinyRun());
        var manifestPath = Path.Combine(_home, "models", "darwin-tiny.manifest.json");
        Assert.Equal(PresetRecipe.Sha256(TrainingPresets.Tiny), TrainingRunManifest.ReadFrom(manifestPath).PresetSha256);
        Assert.True(ModelCache.IsCurrent(_home, "darwin-tiny", TrainingPresets.Tiny));
        var firstModel = File.ReadAllBytes(path);

        var changed = TrainingPresets.Tiny with { ElementEmbeddings = ElementEmbeddingInit.Magpie };
        Assert.NotEqual(PresetRecipe.Sha256(TrainingPresets.Tiny), PresetRecipe.Sha256(changed));
        Assert.False(ModelCache.IsCurrent(_home, "darwin-tiny", changed));
        await ModelCache.EnsureAsync(_home, TinyRun() with { Preset = changed });
        Assert.Equal(PresetRecipe.Sha256(changed), TrainingRunManifest.ReadFrom(manifestPath).PresetSha256);
        Assert.NotEqual(firstModel, File.ReadAllBytes(path));

        // The same recipe again: reused, even without the data folder.
        var written = File.GetLastWriteTimeUtc(path);
        await ModelCache.EnsureAsync(_home, TinyRun() with { Preset = changed, DataRoot = Path.Combine(_home, "no-data-here") });
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task AnInterruptedRunLeavesNoModelAndNoStagingFiles()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAtStep(cancellation, step: 2);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ModelCache.EnsureAsync(_home, TinyRun(maxSteps: 50), progress: progress, cancellationToken: cancellation.Token));

        Assert.True(progress.Cancelled);
        Assert.False(File.Exists(ModelCache.ModelPath(_home, "darwin-tiny")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_home, "models")));
    }

    private sealed class CancelAtStep(CancellationTokenSource source, int step) : IProgress<TrainingProgress>
    {
        public bool Cancelled { get; private set; }

        public void Report(TrainingProgress value)
        {
            if (value.Step < step) return;
            Cancelled = true;
            source.Cancel();
        }
    }
}
