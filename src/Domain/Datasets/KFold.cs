namespace DarwinGrid.Domain.Datasets;

/// <summary>
/// Shuffled k-fold splits for regression, laid out like scikit-learn's KFold (the first
/// <c>count % k</c> folds hold one extra index). Matbench uses 5 folds with seed 18012019; we use
/// the same seed with our own shuffle, so the folds are ours, not Matbench's frozen ones (which
/// also could not match: about 10% of each matbench set is withheld from our copy).
/// </summary>
public static class KFold
{
    public static IReadOnlyList<Fold> Split(int count, int folds = 5, long seed = DeterministicShuffle.MatbenchSeed)
    {
        FoldArguments.Check(count, folds);
        var order = Enumerable.Range(0, count).ToArray();
        new DeterministicShuffle(seed).Shuffle(order);

        var assignment = new int[count];
        var start = 0;
        for (var f = 0; f < folds; f++)
        {
            var size = count / folds + (f < count % folds ? 1 : 0);
            for (var i = start; i < start + size; i++)
                assignment[order[i]] = f;
            start += size;
        }
        return FoldArguments.Build(assignment, folds);
    }
}
