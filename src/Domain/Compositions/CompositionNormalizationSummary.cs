namespace DarwinGrid.Domain.Compositions;

/// <summary>How many data rows a normalisation read, and how many of them parsed.</summary>
public sealed record CompositionNormalizationSummary(long Rows, long Parsed)
{
    public long Failed => Rows - Parsed;
}
