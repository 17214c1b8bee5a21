namespace DarwinGrid.Domain.Predictions;

/// <summary>Which single number a regression prediction reports.</summary>
public enum NumericEstimate
{
    /// <summary>The median of the model's distribution over the whole number (minimises absolute error). The default.</summary>
    Median = 0,
    /// <summary>The mean of that distribution.</summary>
    Mean = 1,
    /// <summary>One greedy constrained decode: DARWIN's own evaluation.</summary>
    Greedy = 2,
}

public static class NumericEstimates
{
    public const string Names = "median|mean|greedy";

    public static bool TryParse(string? text, out NumericEstimate estimate)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "median": estimate = NumericEstimate.Median; return true;
            case "mean": estimate = NumericEstimate.Mean; return true;
            case "greedy": estimate = NumericEstimate.Greedy; return true;
            default: estimate = NumericEstimate.Median; return false;
        }
    }

    public static NumericEstimate Parse(string? text) =>
        TryParse(text, out var estimate)
            ? estimate
            : throw new ArgumentException($"Unknown estimate '{text}'; expected {Names}.");

    public static string Name(this NumericEstimate estimate) => estimate.ToString().ToLowerInvariant();
}
