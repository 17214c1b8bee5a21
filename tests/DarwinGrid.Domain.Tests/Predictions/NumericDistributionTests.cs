using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Domain.Tests.Predictions;

public class NumericDistributionTests
{
    // 0 (p 0.5), 1.5 (0.3), 2 (0.2): CDF 0.5, 0.8, 1.0
    private static readonly NumericDistribution Gap = NumericDistribution.FromWeighted([(2.0, 0.1), (0.0, 0.25), (1.5, 0.15)], coveredMass: 0.5);

    [Fact]
    public void FromWeightedSortsMergesAndRenormalises()
    {
        var d = NumericDistribution.FromWeighted([(1.0, 1), (-0.0, 1), (1.0, 2), (0.0, 0), (double.NaN, 5)]);
        Assert.Equal([0.0, 1.0], d.Values.ToArray());
        Assert.Equal(0.25, d.Probabilities[0], 12);
        Assert.Equal(0.75, d.Probabilities[1], 12);
        Assert.Equal(1.0, d.CoveredMass);
        Assert.Equal(0.5, Gap.CoveredMass);
    }

    [Fact]
    public void QuantilesAreLowerQuantilesOfValuesTheModelCanSay()
    {
        Assert.Equal(0.0, Gap.Quantile(0.5));   // the CDF reaches 0.5 exactly at 0
        Assert.Equal(1.5, Gap.Quantile(0.51));
        Assert.Equal(0.0, Gap.Median);
        Assert.Equal(2.0, Gap.Quantile(0.95));
        Assert.Equal((0.0, 2.0), Gap.CentralInterval(0.9));
        Assert.Equal(0.0, Gap.Mode);
    }

    [Fact]
    public void MeanAndProbabilitiesOfRanges()
    {
        Assert.Equal(0.3 * 1.5 + 0.2 * 2, Gap.Mean, 12);
        Assert.Equal(0.5, Gap.ProbabilityBetween(1.1, 2.0), 12);
        Assert.Equal(0.3, Gap.ProbabilityBetween(1.1, 1.8), 12);
        Assert.Equal(0.8, Gap.ProbabilityBetween(null, 1.5), 12);
        Assert.Equal(0.5, Gap.ProbabilityOfZero, 12);
    }

    [Fact]
    public void BadInputIsRefusedByName()
    {
        Assert.Throws<ArgumentException>(() => NumericDistribution.FromWeighted([(double.PositiveInfinity, 1.0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NumericDistribution.FromWeighted([(1.0, 1.0)], coveredMass: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gap.Quantile(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gap.CentralInterval(1.0));
    }

    [Theory]
    [InlineData("median", NumericEstimate.Median)]
    [InlineData(" Mean ", NumericEstimate.Mean)]
    [InlineData("greedy", NumericEstimate.Greedy)]
    public void EstimateNamesParse(string text, NumericEstimate expected) =>
        Assert.Equal(expected, NumericEstimates.Parse(text));

    [Fact]
    public void UnknownEstimateNamesTheChoices() =>
        Assert.Contains("median|mean|greedy", Assert.Throws<ArgumentException>(() => NumericEstimates.Parse("mode")).Message);
}
