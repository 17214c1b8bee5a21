using DarwinGrid.Domain.Prompts;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// THE place where a <see cref="TrainingJobSpec"/> meets <see cref="TrainingRun"/>: base (a new model
/// of the preset's shape, or a GGUF file the grain resolved from a registered version), stages, full or
/// LoRA, checkpoints, and resuming from the checkpoint a lost attempt left in the work folder.
/// </summary>
public static class TrainerSpecMapping
{
    /// <summary>Every run leaves this cross-validation fold out, so the registered version is scored on records it never saw.</summary>
    public const int HeldOutFold = 0;

    /// <summary>Runs continue from their last checkpoint after a silo crash.</summary>
    public const bool CanResume = true;

    /// <summary>Checkpoint interval when the spec sets none: often enough that a crash loses little, rare enough to cost little.</summary>
    public const int DefaultCheckpointEverySteps = 50;

    public static bool IsNewModel(string baseModel) =>
        string.Equals(baseModel, TrainingJobSpec.NewModel, StringComparison.OrdinalIgnoreCase)
        || baseModel.StartsWith(TrainingJobSpec.NewModel + ":", StringComparison.OrdinalIgnoreCase);

    /// <param name="resume">Continue from the checkpoint in <paramref name="workDirectory"/> if one is there (a fresh start otherwise).</param>
    public static TrainingRunOptions ToRunOptions(TrainingJobSpec spec, string workDirectory, string dataRoot, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var preset = TrainingPresets.Get(spec.Preset);
        TrainingBase? start = IsNewModel(spec.BaseModel) ? null
            : spec.BaseModel.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? TrainingBase.FromFile(spec.BaseModel)
            : throw new ArgumentException($"The base '{spec.BaseModel}' is neither '{TrainingJobSpec.NewModel}' nor a .gguf file (registered versions are resolved to their file before training).");
        if (start?.File is { } file && !File.Exists(file))
            throw new ArgumentException($"The base model file '{file}' does not exist.");
        var options = new TrainingRunOptions
        {
            Preset = preset,
            Base = start,
            Mode = spec.Mode,
            OutputDirectory = workDirectory,
            DataRoot = dataRoot,
            Tasks = spec.Tasks.IsDefaultOrEmpty ? null : [.. spec.Tasks],
            Epochs = spec.Epochs,
            MaxSteps = spec.MaxSteps,
            MaxDuration = spec.MaxDuration,
            Seed = spec.Seed,
            Fold = new FoldSelection(HeldOutFold),
            Format = spec.PromptFormat is { } format ? PromptFormats.Get(format) : null,
            Threads = spec.Threads,
            Stages = spec.Stages.IsDefaultOrEmpty ? [TrainingStages.MultiTask] : [.. spec.Stages.Select(s => s.ToLowerInvariant())],
            CheckpointEverySteps = spec.CheckpointEverySteps ?? DefaultCheckpointEverySteps,
            LabRecords = spec.LabRecords.IsDefaultOrEmpty ? null : [.. spec.LabRecords.Select(r => new LabRecord(r.Task, r.Composition, r.Value))],
        };
        return (options with { Resume = resume && File.Exists(CheckpointOf(options)) }).Validated();
    }

    /// <summary>Where the run of <paramref name="options"/> keeps its checkpoint.</summary>
    public static string CheckpointOf(TrainingRunOptions options) => TrainingRun.CheckpointPath(options.OutputDirectory, options.ModelName);

    /// <summary>
    /// The files of a finished <see cref="TrainingRun"/> as a job result. A single LoRA stage on a base
    /// file registers as that base plus the adapter (llama.cpp applies it at load; the base is shared
    /// with the parent version); otherwise the run's own model (for LoRA runs of several stages or on
    /// a new model, the base merged with the adapters, which are kept beside it).
    /// </summary>
    public static TrainingJobResult ToJobResult(TrainingRunOptions options, TrainingRunResult result)
    {
        var adapters = result.Manifest.StageRuns.Where(s => s.OutputFile.EndsWith(".lora.gguf", StringComparison.Ordinal))
            .Select(s => Path.Combine(options.OutputDirectory, s.OutputFile)).ToArray();
        var others = new List<string> { result.LossCurvePath };
        if (options.Mode == TrainingMode.Lora && options.Base?.File is { } baseFile && adapters.Length == 1)
        {
            File.Delete(result.ModelPath); // the merged copy: base + adapter serves the same function
            return new TrainingJobResult(baseFile, adapters[0], (options.Format ?? options.Preset.Format).Name,
                [.. result.Manifest.Data.Tasks.Select(t => t.Task)], result.ManifestPath, others);
        }
        others.AddRange(adapters);
        return new TrainingJobResult(result.ModelPath, AdapterFile: null, (options.Format ?? options.Preset.Format).Name,
            [.. result.Manifest.Data.Tasks.Select(t => t.Task)], result.ManifestPath, others);
    }
}
