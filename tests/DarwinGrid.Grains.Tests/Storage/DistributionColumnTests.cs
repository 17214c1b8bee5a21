using System.Collections.Immutable;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

public sealed class DistributionColumnTests
{
    [Fact]
    public void ASmallDistributionRoundTripsExactly()
    {
        var distribution = new PredictedDistribution([0.0, 1.25, 3.5], [0.25, 0.5, 0.25], 0.98);
        var back = DistributionColumn.FromJson(DistributionColumn.ToJson(distribution))!;
        Assert.Equal<double>(distribution.Values, back.Values);
        Assert.Equal<double>(distribution.Probabilities, back.Probabilities);
        Assert.Equal(0.98, back.CoveredMass);
        Assert.Null(DistributionColumn.ToJson(null));
        Assert.Null(DistributionColumn.FromJson(null));
    }

    [Fact]
    public void AWideDistributionKeepsItsMostProbablePointsAndSaysHowMuchIsCovered()
    {
        // 200 values: 0.00..1.99 with weight rising to a peak at 1.00; the 32 most probable stay.
        var values = Enumerable.Range(0, 200).Select(i => i / 100.0).ToImmutableArray();
        var weights = values.Select(v => Math.Exp(-Math.Pow((v - 1.0) / 0.3, 2))).ToArray();
        var total = weights.Sum();
        var distribution = new PredictedDistribution(values, [.. weights.Select(w => w / total)], 1.0);

        var json = DistributionColumn.ToJson(distribution)!;
        var compact = DistributionColumn.FromJson(json)!;
        Assert.Equal(DistributionColumn.MaxPoints, compact.Values.Length);
        Assert.Equal<double>(compact.Values.Order(), compact.Values);
        Assert.All(compact.Values, v => Assert.InRange(v, 0.84, 1.16)); // the 32 nearest the peak
        Assert.Equal(1.0, compact.Probabilities.Sum(), 5);
        var kept = weights.Where((_, i) => compact.Values.Contains(values[i])).Sum() / total;
        Assert.Equal(kept, compact.CoveredMass, 5);
        Assert.InRange(json.Length, 100, 800);
    }
}
