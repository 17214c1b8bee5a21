using DarwinGrid.Domain.Prompts;
using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Runs;

/// <summary>The training stages a run can contain (DARWIN: literature QA, then the multi-task mixture).</summary>
public static class TrainingStages
{
    public const string Qa = "qa";
    public const string MultiTask = "multitask";

    /// <summary>The stages this build can run; QA fine-tuning comes with the next issue.</summary>
    public static IReadOnlyList<string> Supported { get; } = [MultiTask];
}

/// <summary>One <c>darwin train</c> run: a preset plus what the command line overrides.</summary>
public sealed record TrainingRunOptions
{
    public required TrainingPreset Preset { get; init; }

    /// <summary>The folder the model, manifest and loss curve are written to (created if missing).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The shared data folder (already located).</summary>
    public required string DataRoot { get; init; }

    public IReadOnlyList<string>? Tasks { get; init; }

    /// <summary>Overrides the preset's epoch count.</summary>
    public int? Epochs { get; init; }

    /// <summary>Caps the optimizer steps (the schedule is planned for the cap).</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Overrides the preset's wall-clock limit.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>One seed for the mixture, the weight initialisation and the shuffles.</summary>
    public int Seed { get; init; } = 1;

    public FoldSelection? Fold { get; init; }

    public IPromptFormat? Format { get; init; }

    /// <summary>CPU threads (0 = all cores).</summary>
    public int Threads { get; init; }

    public IReadOnlyList<string> Stages { get; init; } = [TrainingStages.MultiTask];

    /// <summary>darwin-&lt;preset&gt;.gguf.</summary>
    public string ModelName => $"darwin-{Preset.Name}";

    public TrainingRunOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("The output folder is empty.");
        if (Epochs is < 1) throw new ArgumentException($"--epochs must be at least 1 (got {Epochs}).");
        if (MaxSteps is < 1) throw new ArgumentException($"--max-steps must be at least 1 (got {MaxSteps}).");
        if (Threads < 0) throw new ArgumentException($"--threads must not be negative (got {Threads}).");
        Fold?.Validated();
        if (Stages.Count == 0) throw new ArgumentException("No training stage is selected.");
        foreach (var stage in Stages)
        {
            if (string.Equals(stage, TrainingStages.Qa, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("Stage 'qa' (literature QA fine-tuning) is not available yet; use --stages multitask.");
            if (!TrainingStages.Supported.Contains(stage, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"Unknown training stage '{stage}'. Known stages: {TrainingStages.Qa}, {TrainingStages.MultiTask}.");
        }
        return this;
    }
}
