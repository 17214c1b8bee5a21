using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// The GGUF a run trains from: a new model stays "new", a file is found in the model store, and a
/// registered version becomes its base file (paths in the registry are relative to the store); a
/// version that is base + one adapter (a lab-loop update, say) is merged into the run's folder first,
/// since the trainer starts from one GGUF.
/// </summary>
public static class RunBaseModel
{
    /// <param name="lookUp">The registered version of an id, or null.</param>
    /// <exception cref="ArgumentException">The base is not registered, or is a base with more than one adapter.</exception>
    public static async Task<TrainingJobSpec> ResolveAsync(TrainingJobSpec spec, RunFolder folder, Func<string, Task<ModelVersionInfo?>> lookUp)
    {
        if (TrainerSpecMapping.IsNewModel(spec.BaseModel) || TrainedVersion.IsFile(spec.BaseModel))
            return TrainedVersion.IsFile(spec.BaseModel) ? spec with { BaseModel = folder.InStore(spec.BaseModel) } : spec;
        var version = await lookUp(spec.BaseModel)
            ?? throw new ArgumentException($"The base '{spec.BaseModel}' is not a registered model version (see 'darwin models list').");
        var baseFile = folder.InStore(version.BaseModelPath);
        if (version.Adapters.IsDefaultOrEmpty)
            return spec with { BaseModel = baseFile };
        if (version.Adapters.Length > 1)
            throw new ArgumentException($"The base version '{version.Id}' is a base model plus {version.Adapters.Length} LoRA adapters; merge them first ('darwin model merge') and register the merged GGUF.");
        var adapter = version.Adapters[0];
        var adapterFile = folder.InStore(adapter.Path);
        await Task.Run(() => AdapterMerge.Write(baseFile, adapterFile, adapter.Scale, folder.MergedBase));
        return spec with { BaseModel = folder.MergedBase };
    }
}
