using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Datasets;

/// <summary>
/// THE cross-validation split of a task's records, shared by the evaluation harness and by the
/// training fold exclusion (they must agree, or a model is scored on data it trained on):
/// Matbench's protocol on our copy — shuffled k-fold for regression, stratified k-fold for
/// classification, seed 18012019 — with our own shuffle, so the folds are ours, not Matbench's.
/// A task whose inputs are another task's (<see cref="PropertyTask.FoldsFollow"/>) puts each shared
/// input in the fold it has there; only its own extra inputs are split by the protocol.
/// </summary>
public static class TaskFolds
{
    public const int DefaultCount = 5;

    /// <param name="dataRoot">Where the data is: a task whose folds follow another task's reads that task's records from it.</param>
    public static IReadOnlyList<Fold> Split(PropertyTask task, IReadOnlyList<TaskRecord> records, string dataRoot,
        int count = DefaultCount, long seed = DeterministicShuffle.MatbenchSeed)
    {
        if (task.FoldsFollow is not { } anchorName)
            return OwnSplit(task, records, count, seed);
        var anchor = TaskCatalog.Get(anchorName);
        var anchorRecords = TaskDatasetLoader.Load(anchor, dataRoot).Records;
        var anchorFold = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var fold in OwnSplit(anchor, anchorRecords, count, seed))
            foreach (var index in fold.Test)
                anchorFold.TryAdd(anchorRecords[index].Input.Trim(), fold.Index);
        return FollowingSplit(task, records, anchorFold, count, seed);
    }

    private static IReadOnlyList<Fold> OwnSplit(PropertyTask task, IReadOnlyList<TaskRecord> records, int count, long seed) =>
        task.Kind == TaskKind.Regression
            ? KFold.Split(records.Count, count, seed)
            : StratifiedKFold.Split(records.Select(r => r.Target.AsClassIndex()).ToArray(), count, seed);

    /// <summary>Shared inputs keep the anchor's fold; the rest are split among themselves by the protocol.</summary>
    private static IReadOnlyList<Fold> FollowingSplit(PropertyTask task, IReadOnlyList<TaskRecord> records,
        IReadOnlyDictionary<string, int> anchorFold, int count, long seed)
    {
        FoldArguments.Check(records.Count, count);
        var assignment = new int[records.Count];
        var own = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            if (anchorFold.TryGetValue(records[i].Input.Trim(), out var fold)) assignment[i] = fold;
            else own.Add(i);
        }
        if (own.Count >= count)
        {
            var ownRecords = own.Select(i => records[i]).ToArray();
            foreach (var fold in OwnSplit(task, ownRecords, count, seed))
                foreach (var index in fold.Test)
                    assignment[own[index]] = fold.Index;
        }
        else
        {
            for (var k = 0; k < own.Count; k++) assignment[own[k]] = k % count;
        }
        return FoldArguments.Build(assignment, count);
    }
}
