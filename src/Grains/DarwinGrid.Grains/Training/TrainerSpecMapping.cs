using DarwinGrid.Domain.Prompts;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// THE place where a <see cref="TrainingJobSpec"/> meets what <see cref="TrainingRun"/> can do today:
/// a new model of the preset's shape, full training, the multi-task stage, no checkpoints. Everything
/// else fails the run with a message naming the missing capability. Wiring in the stages / LoRA /
/// resume work means changing this class (and <see cref="CanResume"/>), nothing else.
/// </summary>
public static class TrainerSpecMapping
{
    /// <summary>Every run leaves this cross-validation fold out, so the registered version is scored on records it never saw.</summary>
    public const int HeldOutFold = 0;

    /// <summary>The trainer cannot continue from a checkpoint yet.</summary>
    public const bool CanResume = false;

    public static TrainingRunOptions ToRunOptions(TrainingJobSpec spec, string workDirectory, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Mode == TrainingMode.Lora)
            throw Missing("LoRA training (mode lora)", "train with mode full");
        if (!string.Equals(spec.BaseModel, TrainingJobSpec.NewModel, StringComparison.OrdinalIgnoreCase))
            throw Missing($"training from an existing model (base '{spec.BaseModel}')", $"train a new model (base '{TrainingJobSpec.NewModel}')");
        if (spec.Stages.Contains(TrainingStages.Qa, StringComparer.OrdinalIgnoreCase))
            throw Missing("the literature QA stage ('qa')", $"use the stage '{TrainingStages.MultiTask}' alone");
        if (spec.CheckpointEverySteps is not null)
            throw Missing("checkpoints every N steps", "leave the checkpoint interval unset");
        return new TrainingRunOptions
        {
            Preset = TrainingPresets.Get(spec.Preset),
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
            Stages = spec.Stages.IsDefaultOrEmpty ? [TrainingStages.MultiTask] : [.. spec.Stages],
        }.Validated();
    }

    /// <summary>The files of a finished <see cref="TrainingRun"/> as a job result.</summary>
    public static TrainingJobResult ToJobResult(TrainingRunOptions options, TrainingRunResult result) => new(
        result.ModelPath,
        AdapterFile: null,
        (options.Format ?? options.Preset.Format).Name,
        [.. result.Manifest.Data.Tasks.Select(t => t.Task)],
        result.ManifestPath,
        [result.LossCurvePath]);

    private static TrainingCapabilityException Missing(string capability, string instead) =>
        new($"This build's trainer cannot do {capability} yet; {instead}.");
}
