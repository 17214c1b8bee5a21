using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Screening;

namespace DarwinGrid.Domain.Tests.Acquisition;

public class ImprovementScoresTests
{
    // A band gap the model thinks is a metal (0, p 0.5), 1.2 eV (0.3) or 2.0 eV (0.2).
    private static readonly NumericDistribution Gap = NumericDistribution.FromWeighted([(0.0, 0.5), (1.2, 0.3), (2.0, 0.2)]);

    [Fact]
    public void ExpectedImprovementWhenMaximizingSumsTheGainsAboveTheBest()
    {
        // best measured 1.0: gains 0 (0), 0.2 (1.2), 1.0 (2.0) -> 0.3*0.2 + 0.2*1.0 = 0.26
        Assert.Equal(0.26, ImprovementScores.ExpectedImprovement(Gap, ScreeningGoal.Maximize, best: 1.0), 12);
    }

    [Fact]
    public void ExpectedImprovementWhenMinimizingSumsTheGainsBelowTheBest()
    {
        // best 1.0: gains 1.0 (0), 0 (1.2), 0 (2.0) -> 0.5
        Assert.Equal(0.5, ImprovementScores.ExpectedImprovement(Gap, ScreeningGoal.Minimize, best: 1.0), 12);
    }

    [Fact]
    public void ExpectedImprovementTowardsATargetCountsGettingCloser()
    {
        // target 1.34, best measured 1.8 (0.46 away): 0 is 1.34 away (no gain), 1.2 is 0.14 away (gain 0.32),
        // 2.0 is 0.66 away (no gain) -> 0.3 * 0.32 = 0.096
        Assert.Equal(0.096, ImprovementScores.ExpectedImprovement(Gap, ScreeningGoal.Target, best: 1.8, target: 1.34), 12);
    }

    [Fact]
    public void ProbabilityOfImprovementCountsTheValuesThatBeatTheBest()
    {
        Assert.Equal(0.5, ImprovementScores.ProbabilityOfImprovement(Gap, ScreeningGoal.Maximize, best: 1.0), 12);
        Assert.Equal(0.2, ImprovementScores.ProbabilityOfImprovement(Gap, ScreeningGoal.Maximize, best: 1.2), 12); // ties are no improvement
        Assert.Equal(0.5, ImprovementScores.ProbabilityOfImprovement(Gap, ScreeningGoal.Minimize, best: 1.0), 12);
        Assert.Equal(0.3, ImprovementScores.ProbabilityOfImprovement(Gap, ScreeningGoal.Target, best: 1.8, target: 1.34), 12);
    }

    [Fact]
    public void UpperConfidenceBoundTakesTheOptimisticEndOfTheInterval()
    {
        // 90% interval: 5% quantile 0, 95% quantile 2.0
        Assert.Equal(2.0, ImprovementScores.UpperConfidenceBound(Gap, ScreeningGoal.Maximize));
        Assert.Equal(-0.0, ImprovementScores.UpperConfidenceBound(Gap, ScreeningGoal.Minimize));
        Assert.Equal(0.0, ImprovementScores.UpperConfidenceBound(Gap, ScreeningGoal.Target, target: 1.34)); // inside [0, 2]
        Assert.Equal(-1.0, ImprovementScores.UpperConfidenceBound(Gap, ScreeningGoal.Target, target: 3.0));
        // 10% interval: the 45% quantile is 0 and the 55% quantile 1.2 -> 0.14 short of the target
        Assert.Equal(-0.14, ImprovementScores.UpperConfidenceBound(Gap, ScreeningGoal.Target, target: 1.34, level: 0.1), 12);
    }

    [Fact]
    public void BestMeasuredFollowsTheGoal()
    {
        double[] measured = [0.4, 1.9, 1.1];
        Assert.Equal(1.9, ImprovementScores.BestMeasured(measured, ScreeningGoal.Maximize));
        Assert.Equal(0.4, ImprovementScores.BestMeasured(measured, ScreeningGoal.Minimize));
        Assert.Equal(1.1, ImprovementScores.BestMeasured(measured, ScreeningGoal.Target, target: 1.34));
        Assert.Throws<ArgumentException>(() => ImprovementScores.BestMeasured([], ScreeningGoal.Maximize));
        Assert.Throws<ArgumentException>(() => ImprovementScores.ExpectedImprovement(Gap, ScreeningGoal.Target, best: 1));
    }

    [Theory]
    [InlineData("poi", AcquisitionRule.Poi)]
    [InlineData("EI", AcquisitionRule.Ei)]
    [InlineData(" ucb", AcquisitionRule.Ucb)]
    public void RuleNamesParse(string text, AcquisitionRule rule) => Assert.Equal(rule, AcquisitionRules.Parse(text));

    [Fact]
    public void UnknownRuleNamesTheChoices() =>
        Assert.Contains("poi|ei|ucb", Assert.Throws<ArgumentException>(() => AcquisitionRules.Parse("thompson")).Message);
}
