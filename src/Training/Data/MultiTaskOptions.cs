using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Data;

/// <summary>
/// How the stage-2 multi-task mixture is built. Per epoch, task i gets
/// <c>round(E · w_i · n_i^α / Σ_j w_j · n_j^α)</c> examples (at least <see cref="MinExamplesPerTask"/>),
/// where n_i is its number of training records, w_i its weight and E <see cref="ExamplesPerEpoch"/>:
/// temperature sampling, so with α = 0.5 a task with 100x fewer records gets only 10x fewer examples
/// (it is up-sampled, its records repeated), and the largest tasks are down-sampled per epoch but
/// cycle through all their records over successive epochs. α = 1 keeps the natural proportions,
/// α = 0 gives every task the same share.
/// </summary>
public sealed record MultiTaskOptions
{
    /// <summary>Task names (catalog names, any case); null or empty for every catalog task.</summary>
    public IReadOnlyList<string>? Tasks { get; init; }

    public IPromptFormat Format { get; init; } = DarwinAlpacaPromptFormat.Instance;

    public long Seed { get; init; } = 1;

    /// <summary>Leave out this cross-validation fold's test part; null trains on all records.</summary>
    public FoldSelection? Fold { get; init; }

    public LeakGuard LeakGuard { get; init; } = LeakGuard.AcrossTasks;

    /// <summary>Share of each task's training records held out (seeded) for validation loss.</summary>
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>α of the temperature sampling (0..1).</summary>
    public double SamplingExponent { get; init; } = 0.5;

    /// <summary>Per-task multipliers w_i of the sampling share (default 1); names as in <see cref="Tasks"/>.</summary>
    public IReadOnlyDictionary<string, double> TaskWeights { get; init; } = new Dictionary<string, double>();

    /// <summary>E: examples per epoch over all tasks; null for the number of training records.</summary>
    public int? ExamplesPerEpoch { get; init; }

    /// <summary>A floor on each task's examples per epoch (0: none).</summary>
    public int MinExamplesPerTask { get; init; }

    /// <summary>
    /// Share of a task's examples that are DARWIN distractors (refusals), for tasks whose catalog
    /// entry defines them. DARWIN's own JSON has about 3.5% (matbench_is_metal 164 of 4593).
    /// </summary>
    public double DistractorRate { get; init; } = 0.03;

    /// <summary>
    /// Share of a composition task's training examples whose formula is respelled (another element
    /// order, written-out amounts of 1: <see cref="FormulaRespelling"/>) with the same answer; 0 for none.
    /// Validation records are never respelled.
    /// </summary>
    public double FormulaAugmentation { get; init; }

    public IReadOnlyList<PropertyTask> SelectedTasks()
    {
        if (Tasks is null || Tasks.Count == 0)
            return TaskCatalog.All;
        var selected = Tasks.Select(TaskCatalog.Get).Distinct().ToHashSet();
        // Catalog order, so the mixture does not depend on how the list was written.
        return TaskCatalog.All.Where(selected.Contains).ToArray();
    }

    public double WeightOf(PropertyTask task) =>
        TaskWeights.FirstOrDefault(w => string.Equals(w.Key, task.Name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } found
            ? found.Value
            : 1.0;

    public MultiTaskOptions Validated()
    {
        Fold?.Validated();
        Require(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
        Require(SamplingExponent is >= 0 and <= 1, nameof(SamplingExponent), SamplingExponent, "must be in [0, 1]");
        Require(DistractorRate is >= 0 and < 1, nameof(DistractorRate), DistractorRate, "must be in [0, 1)");
        Require(FormulaAugmentation is >= 0 and <= 1, nameof(FormulaAugmentation), FormulaAugmentation, "must be in [0, 1]");
        Require(ExamplesPerEpoch is null or > 0, nameof(ExamplesPerEpoch), ExamplesPerEpoch ?? 0, "must be positive");
        Require(MinExamplesPerTask >= 0, nameof(MinExamplesPerTask), MinExamplesPerTask, "must not be negative");
        var selected = SelectedTasks();
        foreach (var (name, weight) in TaskWeights)
        {
            var task = TaskCatalog.Get(name);
            if (!selected.Contains(task))
                throw new ArgumentException($"A weight is given for task '{name}', which is not among the selected tasks.", nameof(TaskWeights));
            Require(double.IsFinite(weight) && weight > 0, $"{nameof(TaskWeights)}[{name}]", weight, "must be positive");
        }
        return this;
    }

    private static void Require(bool condition, string name, double value, string rule)
    {
        if (!condition)
            throw new ArgumentOutOfRangeException(name, value, $"Multi-task option {name} {rule} (got {value}).");
    }
}
