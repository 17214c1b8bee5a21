using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Evaluation.Harness;

/// <summary>
/// Matbench's protocol on our copy: 5 folds, seed 18012019; shuffled k-fold for regression and
/// stratified k-fold for classification (our own shuffle, so the folds are ours, not Matbench's).
/// </summary>
public static class CrossValidationSplits
{
    public const int FoldCount = TaskFolds.DefaultCount;
    public const long Seed = DeterministicShuffle.MatbenchSeed;

    /// <summary>The split training's fold exclusion uses too (<see cref="TaskFolds"/>).</summary>
    public static IReadOnlyList<Fold> For(PropertyTask task, IReadOnlyList<TaskRecord> records, string dataRoot) =>
        TaskFolds.Split(task, records, dataRoot, FoldCount, Seed);
}
