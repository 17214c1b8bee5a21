namespace DarwinGrid.Domain.Tasks;

/// <summary>Where a task's records come from, relative to the shared data folder ('/' separated).</summary>
public abstract record TaskSource
{
    private protected TaskSource() { }

    public abstract IReadOnlyList<string> Files { get; }
}

/// <summary>A tabular CSV: one record per row, the input in one column and the target in another.</summary>
/// <param name="File">The CSV, e.g. <c>darwin/Pei/Pei.csv</c>.</param>
/// <param name="InputColumn">Header of the input column (matched trimmed).</param>
/// <param name="TargetColumn">Header of the target column (matched trimmed).</param>
public sealed record CsvTaskSource(string File, string InputColumn, string TargetColumn) : TaskSource
{
    public override IReadOnlyList<string> Files => [File];

    /// <summary>Rows outside the task's scope (other temperature, other device type); not counted as bad rows.</summary>
    public CsvRowFilter? Filter { get; init; }

    /// <summary>A column whose value the answer repeats (water stability: confidence).</summary>
    public string? QualifierColumn { get; init; }

    /// <summary>
    /// Keep one record per distinct input: later duplicates are reported as skipped, and inputs
    /// whose rows disagree on the target are skipped entirely (DukeDB lists one compound per property).
    /// </summary>
    public bool DistinctInputs { get; init; }
}

/// <summary>Keep a row only when <see cref="Column"/> equals <see cref="EqualsValue"/> or, when that is null, is non-empty.</summary>
public sealed record CsvRowFilter(string Column, string? EqualsValue = null)
{
    public bool Accepts(string cell) => EqualsValue is null
        ? !string.IsNullOrWhiteSpace(cell)
        : string.Equals(cell.Trim(), EqualsValue, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => EqualsValue is null ? $"'{Column}' not empty" : $"'{Column}' = {EqualsValue}";
}

/// <summary>
/// DARWIN instruction JSON (<c>[{"instruction","input","output"}]</c>) for tasks that only exist in
/// that form (opv, SII_MDP). Targets are read from each output with the task's answer parser.
/// </summary>
public sealed record InstructionJsonTaskSource(IReadOnlyList<string> JsonFiles) : TaskSource
{
    public override IReadOnlyList<string> Files => JsonFiles;
}
