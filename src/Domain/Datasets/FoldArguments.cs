namespace DarwinGrid.Domain.Datasets;

internal static class FoldArguments
{
    public static void Check(int count, int folds)
    {
        if (folds < 2)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        if (count < folds)
            throw new ArgumentException($"Cannot split {count} records into {folds} folds.", nameof(count));
    }

    /// <summary>Turns "index i is tested in fold assignment[i]" into train/test lists.</summary>
    public static IReadOnlyList<Fold> Build(int[] assignment, int folds) =>
        Enumerable.Range(0, folds)
            .Select(f => new Fold(f,
                Enumerable.Range(0, assignment.Length).Where(i => assignment[i] != f).ToArray(),
                Enumerable.Range(0, assignment.Length).Where(i => assignment[i] == f).ToArray()))
            .ToArray();
}
