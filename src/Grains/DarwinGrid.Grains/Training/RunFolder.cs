using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Training;

/// <summary>Where a published run's files are, relative to the model store (as the registry keeps them).</summary>
public sealed record PublishedRun(string ModelFile, string? AdapterFile, string ManifestFile);

/// <summary>
/// The files of one training run in the model store: the attempt trains in <c>runs/{runId}/work/</c>
/// (where a lost attempt's checkpoint waits for the next), and publishing moves what it wrote up into
/// <c>runs/{runId}/</c>. Paths handed to the registry are relative to the store.
/// </summary>
public sealed class RunFolder(string storeDirectory, string runId)
{
    public string Store { get; } = Path.GetFullPath(storeDirectory);

    public string Directory => Path.Combine(Store, "runs", runId);

    public string Work => Path.Combine(Directory, "work");

    /// <summary>Where a base version made of a model and one adapter is merged before training from it.</summary>
    public string MergedBase => Path.Combine(Directory, "base-merged.gguf");

    /// <summary>The checkpoint an earlier, lost attempt left in the work folder; null when there is none.</summary>
    public string? Checkpoint() =>
        System.IO.Directory.Exists(Work) ? System.IO.Directory.EnumerateFiles(Work, "*.checkpoint").FirstOrDefault() : null;

    /// <summary>Forgets what an earlier attempt left: the next attempt starts from scratch.</summary>
    public void ClearWork()
    {
        if (System.IO.Directory.Exists(Work))
            System.IO.Directory.Delete(Work, recursive: true);
    }

    /// <summary>A path as the registry gives it (relative to the store, or rooted) as a full path.</summary>
    public string InStore(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Store, path);

    /// <summary>
    /// Moves the attempt's files into the run's folder and removes the work folder. A LoRA adapter's
    /// base stays where it is (it belongs to the parent version): only files inside the work folder move.
    /// </summary>
    public PublishedRun Publish(TrainingJobResult result)
    {
        var model = IsInside(result.ModelFile, Work) ? Move(result.ModelFile) : Path.GetRelativePath(Store, result.ModelFile);
        var adapter = result.AdapterFile is { } file ? Move(file) : null;
        var manifest = Move(result.ManifestFile);
        foreach (var other in result.OtherFiles)
            Move(other);
        System.IO.Directory.Delete(Work, recursive: true);
        return new PublishedRun(model, adapter, manifest);
    }

    /// <summary>Moves a file of the work folder into the run's folder; returns its path relative to the store.</summary>
    private string Move(string file)
    {
        var target = Path.Combine(Directory, Path.GetFileName(file));
        File.Move(file, target, overwrite: true);
        return Path.GetRelativePath(Store, target);
    }

    private static bool IsInside(string file, string directory) =>
        Path.GetFullPath(file).StartsWith(Path.GetFullPath(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
