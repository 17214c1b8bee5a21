namespace DarwinGrid.Domain.Datasets;

/// <summary>
/// Shuffled stratified k-fold splits for classification: each class's members are shuffled and
/// dealt round-robin over the folds, continuing where the previous class stopped, so every fold
/// holds floor or ceil of (class size / k) of each class and fold sizes differ by at most one.
/// </summary>
public static class StratifiedKFold
{
    public static IReadOnlyList<Fold> Split(IReadOnlyList<int> labels, int folds = 5, long seed = DeterministicShuffle.MatbenchSeed)
    {
        FoldArguments.Check(labels.Count, folds);
        var shuffle = new DeterministicShuffle(seed);
        var assignment = new int[labels.Count];
        var next = 0;
        foreach (var members in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var shuffled = members.ToArray();
            shuffle.Shuffle(shuffled);
            foreach (var index in shuffled)
            {
                assignment[index] = next;
                next = (next + 1) % folds;
            }
        }
        return FoldArguments.Build(assignment, folds);
    }
}
