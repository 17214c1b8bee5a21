using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Grains.Models;

/// <summary>The grain API's <see cref="PredictionEstimate"/> to and from the domain's <see cref="NumericEstimate"/>, and its text (median|mean|greedy).</summary>
public static class EstimateConversion
{
    public static NumericEstimate ToDomain(this PredictionEstimate estimate) => estimate switch
    {
        PredictionEstimate.Median => NumericEstimate.Median,
        PredictionEstimate.Mean => NumericEstimate.Mean,
        PredictionEstimate.Greedy => NumericEstimate.Greedy,
        _ => throw new ArgumentOutOfRangeException(nameof(estimate), estimate, $"Unknown estimate; expected {NumericEstimates.Names}."),
    };

    public static PredictionEstimate ToGrain(this NumericEstimate estimate) => estimate switch
    {
        NumericEstimate.Median => PredictionEstimate.Median,
        NumericEstimate.Mean => PredictionEstimate.Mean,
        NumericEstimate.Greedy => PredictionEstimate.Greedy,
        _ => throw new ArgumentOutOfRangeException(nameof(estimate), estimate, $"Unknown estimate; expected {NumericEstimates.Names}."),
    };

    /// <summary>Reads median|mean|greedy (any case); false for anything else, null and blank included.</summary>
    public static bool TryParse(string? text, out PredictionEstimate estimate)
    {
        var ok = NumericEstimates.TryParse(text, out var parsed);
        estimate = ok ? parsed.ToGrain() : PredictionEstimate.Median;
        return ok;
    }

    public static string Name(this PredictionEstimate estimate) => estimate.ToDomain().Name();
}
