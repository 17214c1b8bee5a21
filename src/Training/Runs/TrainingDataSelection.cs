using DarwinGrid.Domain.Prompts;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Tokenization;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Training.Runs;

/// <summary>What a run trains on: a preset's mixture, optionally narrowed to some tasks, another fold, seed or format.</summary>
public sealed record TrainingDataSelection(TrainingPreset Preset)
{
    /// <summary>Overrides the preset's tasks; the preset's weights are kept for the tasks that remain.</summary>
    public IReadOnlyList<string>? Tasks { get; init; }

    public FoldSelection? Fold { get; init; }

    public long Seed { get; init; } = 1;

    public IPromptFormat? Format { get; init; }

    /// <summary>Sampling weights that replace the preset's for the tasks named.</summary>
    public IReadOnlyDictionary<string, double>? TaskWeights { get; init; }

    /// <summary>Lab records the stage learns from instead of the mixture's epochs, with a replay of them (see <see cref="LabReplayMixture"/>); null or empty: none.</summary>
    public IReadOnlyList<LabRecord>? LabRecords { get; init; }

    public double LabReplayShare { get; init; } = LabReplayMixture.DefaultReplayShare;

    public IPromptFormat EffectiveFormat => Format ?? Preset.Format;

    public MultiTaskOptions MixtureOptions()
    {
        var tasks = Tasks is { Count: > 0 } ? Tasks : Preset.Tasks;
        var selected = new MultiTaskOptions { Tasks = tasks }.SelectedTasks();
        var weights = Preset.TaskWeights
            .Where(w => selected.Any(t => string.Equals(t.Name, w.Key, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(w => w.Key, w => w.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (task, weight) in TaskWeights ?? new Dictionary<string, double>())
        {
            // Named explicitly, so a weight for a task that is not selected is an error (MultiTaskOptions.Validated says which).
            weights[task] = weight;
        }
        return new MultiTaskOptions
        {
            Tasks = tasks,
            Format = EffectiveFormat,
            Seed = Seed,
            Fold = Fold,
            TaskWeights = weights,
            ExamplesPerEpoch = Preset.ExamplesPerEpoch,
            FormulaAugmentation = Preset.FormulaAugmentation,
        }.Validated();
    }

    /// <summary>The preset's fixed window (longer examples dropped and counted).</summary>
    public MixtureRecords Load(string dataRoot, ITextTokenizer tokenizer, ILogger? logger = null) =>
        new(MultiTaskMixture.Load(dataRoot, MixtureOptions(), logger), tokenizer, Preset.MaxExampleTokens);

    /// <summary>The window from the data (<see cref="TrainingWindow"/>).</summary>
    public MixtureRecords Load(string dataRoot, ITextTokenizer tokenizer, TrainingWindowRequest window, ILogger? logger = null)
    {
        var mixture = MultiTaskMixture.Load(dataRoot, MixtureOptions(), logger);
        var lab = LabRecords is { Count: > 0 } records ? new LabReplayMixture(mixture, records, LabReplayShare) : null;
        return new MixtureRecords(mixture, tokenizer, window, lab);
    }
}
