namespace DarwinGrid.Domain.Datasets;

/// <summary>
/// Records read from a data file, the rows that could not be used (never silently dropped), and
/// how many rows a filter put out of the task's scope.
/// </summary>
public sealed record DatasetLoad<T>(IReadOnlyList<T> Records, IReadOnlyList<SkippedRow> Skipped, int FilteredOut = 0);
