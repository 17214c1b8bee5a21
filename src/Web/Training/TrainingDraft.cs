using System.Collections.Immutable;
using DarwinGrid.Grains.Training;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Web.Training;

/// <summary>The start-a-run form; becomes a <see cref="TrainingJobSpec"/> (the grain checks and normalises it).</summary>
public sealed class TrainingDraft
{
    /// <summary>The recipes the trainer knows (src/Training/Runs/TrainingPresets.cs).</summary>
    public static IReadOnlyList<(string Name, string Description)> Presets { get; } =
    [
        ("tiny", "toy model, seconds: smoke runs"),
        ("mini", "darwin-mini, 4 × 128, about 17 CPU-minutes"),
    ];

    /// <summary>The stages in the order a run goes through them.</summary>
    public static IReadOnlyList<(string Name, string Description)> StageChoices { get; } =
    [
        ("qa", "literature question answering"),
        ("multitask", "property tasks (DARWIN's stage 2)"),
    ];

    public string Preset { get; set; } = "tiny";

    /// <summary><see cref="TrainingJobSpec.NewModel"/> or a registered version id.</summary>
    public string BaseModel { get; set; } = TrainingJobSpec.NewModel;

    public HashSet<string> Stages { get; } = new(StringComparer.Ordinal) { "multitask" };

    public TrainingMode Mode { get; set; } = TrainingMode.Full;

    /// <summary>Empty: the preset's mixture.</summary>
    public HashSet<string> Tasks { get; } = new(StringComparer.Ordinal);

    public int? Epochs { get; set; }

    public int? MaxSteps { get; set; }

    public int? MaxMinutes { get; set; }

    public string? Name { get; set; }

    /// <summary>Score at most this many held-out records per task when registering (null: the whole fold).</summary>
    public int? EvaluationLimit { get; set; }

    public bool MakeDefault { get; set; }

    public TrainingJobSpec ToSpec() => new(
        Preset,
        BaseModel,
        [.. StageChoices.Select(s => s.Name).Where(Stages.Contains)],
        Mode,
        [.. Tasks.Order(StringComparer.Ordinal)],
        Epochs,
        MaxSteps: MaxSteps,
        MaxDuration: MaxMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
        Name: string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
        EvaluationLimit: EvaluationLimit,
        MakeDefault: MakeDefault);

    /// <summary>What stops the run from being started, in words; empty when it can be.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Stages.Count == 0)
            problems.Add("Choose at least one stage.");
        if (Mode == TrainingMode.Lora && BaseModel == TrainingJobSpec.NewModel)
            problems.Add("LoRA trains an adapter over a base model: choose a registered version as the base.");
        if (Epochs is < 1 || MaxSteps is < 1 || MaxMinutes is < 1 || EvaluationLimit is < 1)
            problems.Add("Epochs, steps, minutes and the evaluation limit must be positive when given.");
        return problems;
    }

    public static ImmutableArray<string> AllStages => [.. StageChoices.Select(s => s.Name)];
}
