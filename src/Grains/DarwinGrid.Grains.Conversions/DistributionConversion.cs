using DarwinGrid.Domain.Predictions;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Models;

/// <summary>The domain's <see cref="NumericDistribution"/> to and from the grain API's <see cref="PredictedDistribution"/>.</summary>
public static class DistributionConversion
{
    public static PredictedDistribution ToGrain(this NumericDistribution distribution) =>
        new(distribution.Values, distribution.Probabilities, distribution.CoveredMass);

    public static NumericDistribution ToDomain(this PredictedDistribution distribution) =>
        NumericDistribution.FromWeighted(distribution.Values.Zip(distribution.Probabilities), distribution.CoveredMass);
}
