namespace DarwinGrid.Domain.Compositions;

/// <summary>The CSV has no column of the requested name; the message lists the columns it has.</summary>
public sealed class CsvColumnNotFoundException(string column, IReadOnlyList<string> availableColumns)
    : Exception($"Column '{column}' not found. Columns in the file: {FormatColumns(availableColumns)}.")
{
    public string Column { get; } = column;
    public IReadOnlyList<string> AvailableColumns { get; } = availableColumns;

    private static string FormatColumns(IReadOnlyList<string> columns) =>
        columns.Count == 0 ? "(none: the file has no header)" : string.Join(", ", columns.Select(c => $"'{c}'"));
}
