using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Data;

/// <summary>
/// Train for cross-validation fold <see cref="Index"/>: the records of that fold's test part are
/// left out. The folds are the evaluation harness's (Matbench protocol on our copy: shuffled
/// k-fold for regression, stratified k-fold for classification, 5 folds, seed 18012019, computed on
/// all of a task's loaded records in load order), so a model trained here is scored on data it never saw.
/// </summary>
public sealed record FoldSelection(int Index, int Count = 5, long Seed = DeterministicShuffle.MatbenchSeed)
{
    public FoldSelection Validated() =>
        Count >= 2 && Index >= 0 && Index < Count
            ? this
            : throw new ArgumentOutOfRangeException(nameof(Index), Index, $"Fold {Index} does not exist among {Count} folds (valid: 0..{Count - 1}, at least 2 folds).");

    /// <summary>The record indices of <paramref name="records"/> in this fold's test part.</summary>
    public IReadOnlyList<int> TestIndices(PropertyTask task, IReadOnlyList<TaskRecord> records, string dataRoot) =>
        TaskFolds.Split(task, records, dataRoot, Count, Seed)[Index].Test;
}
