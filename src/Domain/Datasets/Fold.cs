namespace DarwinGrid.Domain.Datasets;

/// <summary>One cross-validation fold: record indices to train on and to test on (both ascending).</summary>
public sealed record Fold(int Index, IReadOnlyList<int> Train, IReadOnlyList<int> Test);
