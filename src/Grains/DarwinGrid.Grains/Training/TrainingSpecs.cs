using System.Collections.Immutable;
using System.Text.RegularExpressions;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Training.Runs;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Grains.Training;

/// <summary>Validation and normal form of run ids and specs, so equivalent starts compare equal.</summary>
public static partial class TrainingSpecs
{
    /// <summary>The registered version of a run: <c>{name}:{runId}</c> (the registry keeps '@' for grain keys).</summary>
    public static string VersionId(TrainingJobSpec spec, string runId) => $"{spec.Name}:{runId}";

    /// <summary>Run ids name a folder in the model store and a grain key.</summary>
    public static void ValidateRunId(string runId)
    {
        if (!RunIdPattern().IsMatch(runId))
            throw new ArgumentException($"Training run id '{runId}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
    }

    public static TrainingJobSpec Normalize(TrainingJobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Preset))
            throw new ArgumentException("The training spec names no preset.");
        var preset = TrainingPresets.Get(spec.Preset.Trim());
        if (!Enum.IsDefined(spec.Mode))
            throw new ArgumentException($"Unknown training mode {(int)spec.Mode} (known: {string.Join(", ", Enum.GetNames<TrainingMode>())}).");

        var stages = spec.Stages.IsDefaultOrEmpty ? [TrainingStages.MultiTask] : spec.Stages.Select(s => s.Trim().ToLowerInvariant()).ToImmutableArray();
        foreach (var stage in stages)
        {
            if (stage is not (TrainingStages.Qa or TrainingStages.MultiTask))
                throw new ArgumentException($"Unknown training stage '{stage}'. Known stages: {TrainingStages.Qa}, {TrainingStages.MultiTask}.");
        }
        if (stages.Distinct().Count() != stages.Length)
            throw new ArgumentException($"Training stages repeat: {string.Join(", ", stages)}.");

        var tasks = spec.Tasks.IsDefaultOrEmpty ? [] : spec.Tasks
            .Select(t => TaskAliases.TryResolve(t.Trim())?.Name ?? throw new ArgumentException($"Unknown task '{t}' in the training spec."))
            .Distinct(StringComparer.Ordinal).ToImmutableArray();

        if (spec.Epochs is < 1) throw new ArgumentException($"Epochs must be at least 1 (got {spec.Epochs}).");
        if (spec.MaxSteps is < 1) throw new ArgumentException($"Max steps must be at least 1 (got {spec.MaxSteps}).");
        if (spec.MaxDuration is { } limit && limit <= TimeSpan.Zero) throw new ArgumentException($"The time limit must be positive (got {limit}).");
        if (spec.Threads < 0) throw new ArgumentException($"Threads must not be negative (got {spec.Threads}).");
        if (spec.CheckpointEverySteps is < 1) throw new ArgumentException($"The checkpoint interval must be at least 1 step (got {spec.CheckpointEverySteps}).");
        if (spec.EvaluationLimit is < 1) throw new ArgumentException($"The evaluation limit must be at least 1 record per task (got {spec.EvaluationLimit}).");

        string? format = null;
        if (spec.PromptFormat is { Length: > 0 } formatName)
        {
            format = PromptFormats.All.FirstOrDefault(f => string.Equals(f.Name, formatName.Trim(), StringComparison.OrdinalIgnoreCase))?.Name
                ?? throw new ArgumentException($"Unknown prompt format '{formatName}' (known: {string.Join(", ", PromptFormats.All.Select(f => f.Name))}).");
        }

        var labRecords = NormalizeLab(spec.LabRecords, "lab record");
        var labHeldOut = NormalizeLab(spec.LabHeldOut, "held-out lab record");
        if (!labRecords.IsEmpty && !stages.Contains(TrainingStages.MultiTask))
            throw new ArgumentException("Lab records are learnt in the multitask stage, which this run does not have.");

        var name = string.IsNullOrWhiteSpace(spec.Name) ? $"darwin-{preset.Name}" : spec.Name.Trim();
        if (name.IndexOfAny(['@', '/', '|', ':']) >= 0)
            throw new ArgumentException($"Model name '{name}' must not contain '@', '/', '|' or ':'.");
        var baseModel = string.IsNullOrWhiteSpace(spec.BaseModel) ? TrainingJobSpec.NewModel : spec.BaseModel.Trim();

        return spec with
        {
            Preset = preset.Name,
            BaseModel = baseModel,
            Stages = stages,
            Tasks = tasks,
            PromptFormat = format,
            Name = name,
            LabRecords = labRecords,
            LabHeldOut = labHeldOut,
        };
    }

    /// <summary>Catalog task names; numeric tasks and finite values only (lab records carry numbers).</summary>
    private static ImmutableArray<LabValue> NormalizeLab(ImmutableArray<LabValue> records, string what) =>
        records.IsDefaultOrEmpty ? [] : [.. records.Select(r =>
        {
            var task = TaskAliases.TryResolve(r.Task?.Trim() ?? "") ?? throw new ArgumentException($"Unknown task '{r.Task}' in a {what}.");
            if (task.Kind != Domain.Tasks.TaskKind.Regression)
                throw new ArgumentException($"The {what} of '{r.Composition}' is for {task.Name}, a classification task; lab records carry numbers.");
            if (string.IsNullOrWhiteSpace(r.Composition) || !double.IsFinite(r.Value))
                throw new ArgumentException($"A {what} of {task.Name} needs a composition and a finite value.");
            return r with { Task = task.Name, Composition = r.Composition.Trim() };
        })];

    /// <summary>Equal after normalisation (collections compared by content).</summary>
    public static bool Equivalent(TrainingJobSpec a, TrainingJobSpec b) =>
        a with { Stages = default, Tasks = default, LabRecords = default, LabHeldOut = default }
            == b with { Stages = default, Tasks = default, LabRecords = default, LabHeldOut = default }
        && a.Stages.SequenceEqual(b.Stages) && a.Tasks.SequenceEqual(b.Tasks)
        && Lab(a.LabRecords).SequenceEqual(Lab(b.LabRecords)) && Lab(a.LabHeldOut).SequenceEqual(Lab(b.LabHeldOut));

    private static ImmutableArray<LabValue> Lab(ImmutableArray<LabValue> records) => records.IsDefault ? [] : records;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RunIdPattern();
}
