namespace DarwinGrid.Domain.LabResults;

/// <summary>
/// One value a lab measured: the candidate (as written and canonical), the catalog task, the value
/// (regression) or class name (classification), and free-text conditions and notes.
/// <see cref="Line"/> is the CSV line it came from.
/// </summary>
public sealed record MeasuredResult(
    long Line,
    string Input,
    string Composition,
    string Task,
    double? Value,
    string? Label,
    string? Conditions,
    string? Notes);

/// <summary>A CSV row that was not accepted, and why.</summary>
public sealed record MeasuredRowError(long Line, string Problem)
{
    public override string ToString() => $"line {Line}: {Problem}";
}

/// <summary>
/// A whole upload: either every row accepted (<see cref="Errors"/> empty) or none. <see cref="Sha256"/>
/// is the file's hash (lowercase hex), kept as provenance with the dataset version.
/// </summary>
public sealed record MeasuredResultsUpload(IReadOnlyList<MeasuredResult> Rows, IReadOnlyList<MeasuredRowError> Errors, string Sha256)
{
    public bool Accepted => Errors.Count == 0;
}
