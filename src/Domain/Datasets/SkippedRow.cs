namespace DarwinGrid.Domain.Datasets;

/// <summary>A data row that was not turned into a record, and why.</summary>
public sealed record SkippedRow(string File, int RowNumber, string Reason)
{
    public override string ToString() => $"{File} row {RowNumber}: {Reason}";
}
