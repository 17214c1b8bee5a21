using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Tests.Ranking;

public sealed class SuccessProbabilityTests
{
    // A band gap the model gives 0 (a metal) with 0.2, 1.0 with 0.1, 1.3 with 0.3, 1.8 with 0.25, 2.4 with 0.15.
    private static Prediction Gap(double median = 1.3) => new("gap", "v1", median, null, null, $" {median}",
        Low: 0, High: 2.4, Distribution: new PredictedDistribution([0.0, 1.0, 1.3, 1.8, 2.4], [0.2, 0.1, 0.3, 0.25, 0.15], 0.99));

    private static Prediction Metal(double pTrue) => new("metal", "v1", null, pTrue >= 0.5 ? "true" : "false", pTrue, " x", null,
        ImmutableDictionary<string, double>.Empty.Add("true", pTrue).Add("false", 1 - pTrue));

    private static Dictionary<string, Prediction> Of(params Prediction[] predictions) => predictions.ToDictionary(p => p.Task, StringComparer.Ordinal);

    private static readonly PropertyFilter GapWindow = new("gap", FilterOperator.Between, 1.1, 1.8);
    private static readonly PropertyFilter NotMetal = new("metal", FilterOperator.Is, Label: "false");

    [Fact]
    public void ABetweenFilterIsTheDistributionsMassInsideItsClosedBounds()
    {
        Assert.Equal(0.55, SuccessProbability.Of(Of(Gap()), [GapWindow]), 12);                                  // 1.3 + 1.8
        Assert.Equal(0.8, SuccessProbability.Of(Of(Gap()), [new PropertyFilter("gap", FilterOperator.AtLeast, Low: 1.0)]), 12);
        Assert.Equal(0.2, SuccessProbability.Of(Of(Gap()), [new PropertyFilter("gap", FilterOperator.AtMost, High: 0.0)]), 12); // P(metal)
    }

    [Fact]
    public void FiltersOnOneTaskAreOneEventNotAProduct()
    {
        // gap >= 1.1 (0.7) and gap <= 1.8 (0.85) together are P(1.1 <= gap <= 1.8) = 0.55, not 0.7 * 0.85.
        PropertyFilter[] filters = [new("gap", FilterOperator.AtLeast, Low: 1.1), new("gap", FilterOperator.AtMost, High: 1.8)];
        Assert.Equal(0.55, SuccessProbability.Of(Of(Gap()), filters), 12);
    }

    [Fact]
    public void AClassFilterIsTheCalibratedClassProbabilityAndTasksMultiply()
    {
        Assert.Equal(0.9, SuccessProbability.Of(Of(Metal(0.1)), [NotMetal]), 12);
        Assert.Equal(0.1, SuccessProbability.Of(Of(Metal(0.1)), [new PropertyFilter("metal", FilterOperator.IsNot, Label: "false")]), 12);
        // Independence across tasks: 0.55 * 0.9.
        Assert.Equal(0.495, SuccessProbability.Of(Of(Gap(), Metal(0.1)), [GapWindow, NotMetal]), 12);
    }

    [Fact]
    public void APredictionWithoutADistributionCountsOneOrZeroFromItsValue()
    {
        var greedyIn = new Prediction("gap", "v1", 1.6, null, null, " 1.6");
        var greedyOut = new Prediction("gap", "v1", 2.6, null, null, " 2.6");
        var failed = new Prediction("gap", "v1", null, null, null, " ?", "no number");
        Assert.Equal(1.0, SuccessProbability.Of(Of(greedyIn), [GapWindow]));
        Assert.Equal(0.0, SuccessProbability.Of(Of(greedyOut), [GapWindow]));
        Assert.Equal(0.0, SuccessProbability.Of(Of(failed), [GapWindow]));
        Assert.Equal(0.0, SuccessProbability.Of(Of(Metal(0.1)), [GapWindow, NotMetal])); // no band gap at all
        Assert.Equal(1.0, SuccessProbability.Of(Of(greedyIn), []));
        Assert.Null(SuccessProbability.OfCampaign(Of(greedyIn), []));
    }

    [Fact]
    public void RankingByTheProbabilityOfSuccessScoresEachCandidateWithIt()
    {
        var calculator = new RankingCalculator(new RankingSpec(RankingMode.ProbabilityOfSuccess, []), [GapWindow, NotMetal]);
        var scores = calculator.Rank([
            new RankingInput(0, Of(Gap(), Metal(0.1))),                                // 0.55 * 0.9 = 0.495
            new RankingInput(1, Of(new Prediction("gap", "v1", 1.5, null, null, " 1.5"), Metal(0.4))), // 1 * 0.6 = 0.6
            new RankingInput(2, Of(Gap(), Metal(0.7))),                                // 0.55 * 0.3 = 0.165
        ]);
        Assert.Equal([0.495, 0.6, 0.165], scores.Select(s => Math.Round(s.Score!.Value, 12)));
        Assert.All(scores, s => Assert.Null(s.ParetoRank));
        Assert.Contains("filter", Assert.Throws<ArgumentException>(() =>
            new RankingCalculator(new RankingSpec(RankingMode.ProbabilityOfSuccess, []))).Message);
    }
}
