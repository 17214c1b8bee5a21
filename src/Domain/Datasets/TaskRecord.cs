using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Datasets;

/// <summary>One example of a task: an input and its known target.</summary>
/// <param name="RowNumber">
/// 1-based data row in the CSV (the header is row 0; a quoted multi-line cell is still one row),
/// or 1-based record number for JSON sources, counted on across the source's files.
/// </param>
/// <param name="Input">The input, trimmed (DARWIN's leading space and newline are added when prompting).</param>
public sealed record TaskRecord(int RowNumber, string Input, TargetValue Target)
{
    /// <summary>Per-record text the answer repeats (water stability: the confidence).</summary>
    public string? Qualifier { get; init; }

    /// <summary>The original DARWIN record for JSON-sourced tasks (its instruction may embed the input).</summary>
    public InstructionRecord? Darwin { get; init; }
}
