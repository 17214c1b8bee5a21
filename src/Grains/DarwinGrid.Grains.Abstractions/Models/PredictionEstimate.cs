namespace DarwinGrid.Grains.Models;

/// <summary>
/// Which single number a regression prediction reports: the grain API's spelling of the domain's
/// <c>NumericEstimate</c> (same names and values; the abstractions cannot reference the domain).
/// Part of a prediction's identity: a median answer is not a greedy answer, so the prediction
/// cache keys on it.
/// </summary>
public enum PredictionEstimate
{
    /// <summary>The median of the model's distribution over the whole number (minimises absolute error). The default.</summary>
    Median = 0,
    /// <summary>The mean of that distribution.</summary>
    Mean = 1,
    /// <summary>One greedy constrained decode (DARWIN's own evaluation); no distribution, no interval.</summary>
    Greedy = 2,
}
