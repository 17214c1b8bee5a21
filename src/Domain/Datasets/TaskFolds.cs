using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Datasets;

/// <summary>
/// THE cross-validation split of a task's records, shared by the evaluation harness and by the
/// training fold exclusion (they must agree, or a model is scored on data it trained on):
/// Matbench's protocol on our copy — shuffled k-fold for regression, stratified k-fold for
/// classification, seed 18012019 — with our own shuffle, so the folds are ours, not Matbench's.
/// </summary>
public static class TaskFolds
{
    public const int DefaultCount = 5;

    public static IReadOnlyList<Fold> Split(PropertyTask task, IReadOnlyList<TaskRecord> records,
        int count = DefaultCount, long seed = DeterministicShuffle.MatbenchSeed) =>
        task.Kind == TaskKind.Regression
            ? KFold.Split(records.Count, count, seed)
            : StratifiedKFold.Split(records.Select(r => r.Target.AsClassIndex()).ToArray(), count, seed);
}
