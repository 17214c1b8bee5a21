using DarwinGrid.Domain.Prompts;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Lora;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Training.Runs;

/// <summary>The training stages a run can contain (DARWIN: literature QA, then the multi-task mixture).</summary>
public static class TrainingStages
{
    public const string Qa = "qa";
    public const string MultiTask = "multitask";

    public static IReadOnlyList<string> Supported { get; } = [Qa, MultiTask];
}

/// <summary>One <c>darwin train</c> run: a preset plus what the command line overrides.</summary>
public sealed record TrainingRunOptions
{
    /// <summary>The recipe: trainer settings per stage, the mixture, and the shape of a new model.</summary>
    public required TrainingPreset Preset { get; init; }

    /// <summary>What the first stage starts from; null for a new model of <see cref="Preset"/>'s shape.</summary>
    public TrainingBase? Base { get; init; }

    public TrainingMode Mode { get; init; } = TrainingMode.Full;

    /// <summary>
    /// LoRA mode: also write the base merged with the final adapter as <c>NAME.gguf</c> (adapted
    /// matrices F16, the rest in the base's own types). Without it the run's model is the last
    /// stage's adapter, served on the unchanged base. <c>darwin train</c> sets it from <c>--merge</c>.
    /// </summary>
    public bool Merge { get; init; } = true;

    /// <summary>The adapter's settings in <see cref="TrainingMode.Lora"/> (null: the defaults).</summary>
    public LoraOptions? Lora { get; init; }

    /// <summary>The folder the model, manifest and loss curve are written to (created if missing).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The shared data folder (already located).</summary>
    public required string DataRoot { get; init; }

    public IReadOnlyList<string>? Tasks { get; init; }

    /// <summary>Stage-2 sampling weights by task name; they replace the preset's weights for the tasks named.</summary>
    public IReadOnlyDictionary<string, double>? TaskWeights { get; init; }

    /// <summary>Overrides the preset's epoch count (every stage).</summary>
    public int? Epochs { get; init; }

    /// <summary>Caps the optimizer steps of every stage (the schedule is planned for the cap).</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Overrides the preset's wall-clock limit (every stage).</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Overrides the preset's peak learning rate (every stage).</summary>
    public float? LearningRate { get; init; }

    /// <summary>One seed for the mixture, the weight initialisation and the shuffles.</summary>
    public int Seed { get; init; } = 1;

    public FoldSelection? Fold { get; init; }

    public IPromptFormat? Format { get; init; }

    /// <summary>CPU threads (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>The stages in order; null for the preset's.</summary>
    public IReadOnlyList<string>? Stages { get; init; }

    /// <summary>Save a checkpoint every this many optimizer steps (0: only at epoch and stage ends).</summary>
    public int CheckpointEverySteps { get; init; } = 100;

    /// <summary>Continue the run whose checkpoint is in <see cref="OutputDirectory"/> (it must have the same configuration).</summary>
    public bool Resume { get; init; }

    /// <summary>The training window in tokens (<c>--window</c>); null: from the tokenized data (see <see cref="Data.TrainingWindow"/>).</summary>
    public int? Window { get; init; }

    /// <summary>
    /// Values a lab measured: the multi-task stage then trains on them (each once per epoch, in its
    /// task's DARWIN prompt) mixed with a replay of the original mixture, instead of on the mixture
    /// alone; its validation records stay the mixture's. Null or empty: the mixture as usual.
    /// </summary>
    public IReadOnlyList<LabRecord>? LabRecords { get; init; }

    /// <summary>The share of each lab epoch replayed from the original mixture, so the model does not forget (0: none).</summary>
    public double LabReplayShare { get; init; } = LabReplayMixture.DefaultReplayShare;

    public TrainingBase EffectiveBase => Base ?? TrainingBase.New(Preset);

    public IReadOnlyList<string> EffectiveStages => Stages is { Count: > 0 } ? Stages : Preset.Stages;

    /// <summary>darwin-&lt;preset&gt; for a new model, &lt;file name&gt;-&lt;preset&gt; for a model trained further.</summary>
    public string ModelName => EffectiveBase.File is { } file ? $"{Path.GetFileNameWithoutExtension(file)}-{Preset.Name}" : $"darwin-{Preset.Name}";

    public TrainingRunOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("The output folder is empty.");
        if (Epochs is < 1) throw new ArgumentException($"--epochs must be at least 1 (got {Epochs}).");
        if (MaxSteps is < 1) throw new ArgumentException($"--max-steps must be at least 1 (got {MaxSteps}).");
        if (LearningRate is { } rate && !(rate > 0 && float.IsFinite(rate))) throw new ArgumentException($"--learning-rate must be positive (got {rate}).");
        if (Threads < 0) throw new ArgumentException($"--threads must not be negative (got {Threads}).");
        if (Window is < 3) throw new ArgumentException($"--window must hold at least BOS, one token and EOS (got {Window}).");
        if (CheckpointEverySteps < 0) throw new ArgumentException($"--checkpoint-every must not be negative (got {CheckpointEverySteps}).");
        if (Base?.PresetName is { } basePreset && !string.Equals(basePreset, Preset.Name, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--base new:{basePreset} and --preset {Preset.Name} name different recipes; give one of them.");
        Fold?.Validated();
        Lora?.Validated();
        LabReplayMixture.ValidateShare(LabReplayShare);
        if (LabRecords is { Count: > 0 } labRecords)
        {
            foreach (var record in labRecords) record.ValidatedTask();
            if (!EffectiveStages.Contains(TrainingStages.MultiTask, StringComparer.Ordinal))
                throw new ArgumentException("Lab records are learnt in the multitask stage, which this run does not have.");
        }
        if (Lora is not null && Mode != TrainingMode.Lora) throw new ArgumentException("LoRA settings are given but the mode is not lora.");
        var stages = EffectiveStages;
        if (stages.Count == 0) throw new ArgumentException("No training stage is selected.");
        foreach (var stage in stages)
        {
            if (!TrainingStages.Supported.Contains(stage, StringComparer.Ordinal))
                throw new ArgumentException($"Unknown training stage '{stage}'. Known stages: {string.Join(", ", TrainingStages.Supported)}.");
        }
        if (stages.Distinct(StringComparer.Ordinal).Count() != stages.Count) throw new ArgumentException($"A stage is named twice in '{string.Join(",", stages)}'.");
        if (TaskWeights is not null)
        {
            foreach (var (task, weight) in TaskWeights)
            {
                Domain.Tasks.TaskCatalog.Get(task);
                if (!(weight > 0 && double.IsFinite(weight))) throw new ArgumentException($"--task-weights: the weight of '{task}' must be positive (got {weight}).");
            }
        }
        return this;
    }
}
