using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Training;

/// <summary>The model version a finished training run registers: <c>{name}:{runId}</c>, its published files and its recipe.</summary>
public static class TrainedVersion
{
    public static ModelVersionInfo Of(TrainingJobSpec spec, string runId, PublishedRun files, string promptFormat, IEnumerable<string> tasks, string manifestJson) => new(
        TrainingSpecs.VersionId(spec, runId),
        files.ModelFile,
        files.AdapterFile is { } adapter ? [new AdapterReference(adapter)] : [],
        promptFormat,
        [.. tasks],
        DateTimeOffset.UtcNow,
        ParentVersion: Parent(spec),
        ManifestJson: manifestJson,
        Description: spec.Description ?? $"Trained by run {runId} (preset {spec.Preset}, {string.Join("+", spec.Stages)}, {spec.Mode}).");

    /// <summary>The version a run started from, when its base is a registered version (not a new model or a file).</summary>
    public static string? Parent(TrainingJobSpec spec) =>
        string.Equals(spec.BaseModel, TrainingJobSpec.NewModel, StringComparison.OrdinalIgnoreCase) || IsFile(spec.BaseModel) ? null : spec.BaseModel;

    /// <summary>Whether the base is a GGUF file rather than a registered version.</summary>
    public static bool IsFile(string baseModel) => baseModel.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase);
}
