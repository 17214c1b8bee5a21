using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Tests.Ranking;

public sealed class RankingCalculatorTests
{
    private static Prediction Value(string task, double value) => new(task, "v1", value, null, null, $" {value}");

    private static Prediction Class(string task, string label, double positive, params (string Label, double P)[] probabilities) =>
        new(task, "v1", null, label, positive, " " + label, null,
            probabilities.Length == 0 ? null : probabilities.ToImmutableDictionary(p => p.Label, p => p.P));

    private static RankingInput Candidate(long index, params Prediction[] predictions) =>
        new(index, predictions.ToDictionary(p => p.Task, StringComparer.Ordinal));

    [Fact]
    public void WeightedScoreNormalisesEachObjectiveMinMax()
    {
        // Maximise band gap (weight 1), minimise formation energy (weight 3).
        var calculator = new RankingCalculator(new RankingSpec(RankingMode.WeightedScore,
            [new Objective("gap", ObjectiveGoal.Maximize), new Objective("ef", ObjectiveGoal.Minimize, Weight: 3)]));
        var scores = calculator.Rank([
            Candidate(0, Value("gap", 1.0), Value("ef", -1.0)),  // gap n=0,   ef n=1   -> (0 + 3)/4    = 0.75
            Candidate(1, Value("gap", 3.0), Value("ef", 1.0)),   // gap n=1,   ef n=0   -> (1 + 0)/4    = 0.25
            Candidate(2, Value("gap", 2.0), Value("ef", 0.0)),   // gap n=0.5, ef n=0.5 -> (0.5+1.5)/4 = 0.5
            Candidate(3, Value("gap", 2.5)),                     // missing ef -> no score
        ]);
        Assert.Equal([0.75, 0.25, 0.5], scores.Take(3).Select(s => Math.Round(s.Score!.Value, 12)));
        Assert.Null(scores[3].Score);
        Assert.Null(scores[3].ParetoRank);
        Assert.Equal([0L, 1, 2, 3], scores.Select(s => s.CandidateIndex));
        // All three trade off (higher gap means higher formation energy): one front.
        Assert.Equal([0, 0, 0], scores.Take(3).Select(s => s.ParetoRank!.Value));
    }

    [Fact]
    public void TargetGoalPrefersTheClosestValue()
    {
        var calculator = new RankingCalculator(new RankingSpec(RankingMode.WeightedScore,
            [new Objective("gap", ObjectiveGoal.Target, Target: 1.5)]));
        // -|v - 1.5| = -0.5, -0.1, -0.5, 0 -> min-max over [-0.5, 0]
        var scores = calculator.Rank([Candidate(0, Value("gap", 1.0)), Candidate(1, Value("gap", 1.4)),
            Candidate(2, Value("gap", 2.0)), Candidate(3, Value("gap", 1.5))]);
        Assert.Equal([0.0, 0.8, 0.0, 1.0], scores.Select(s => Math.Round(s.Score!.Value, 12)));
        Assert.All(scores, s => Assert.Null(s.ParetoRank)); // one objective: no Pareto ranks
    }

    [Fact]
    public void ClassificationUsesTheProbabilityOfTheLabelWithoutRescaling()
    {
        var positive = new RankingCalculator(new RankingSpec(RankingMode.WeightedScore, [new Objective("stable", ObjectiveGoal.Maximize)]));
        var scores = positive.Rank([Candidate(0, Class("stable", "yes", 0.6)), Candidate(1, Class("stable", "no", 0.2))]);
        Assert.Equal([0.6, 0.2], scores.Select(s => s.Score!.Value));

        var notMetal = new RankingCalculator(new RankingSpec(RankingMode.WeightedScore,
            [new Objective("metal", ObjectiveGoal.Maximize, Label: "nonmetal")]));
        var byLabel = notMetal.Rank([
            Candidate(0, Class("metal", "metal", 0.7, ("metal", 0.7), ("nonmetal", 0.3))),
            Candidate(1, Class("metal", "nonmetal", 0.1, ("metal", 0.1), ("nonmetal", 0.9))),
            Candidate(2, Class("metal", "metal", 0.8)), // no label probabilities -> no reading
        ]);
        Assert.Equal([0.3, 0.9], byLabel.Take(2).Select(s => s.Score!.Value));
        Assert.Null(byLabel[2].Score);

        var minimise = new RankingCalculator(new RankingSpec(RankingMode.WeightedScore, [new Objective("stable", ObjectiveGoal.Minimize)]));
        Assert.Equal(0.75, minimise.Rank([Candidate(0, Class("stable", "no", 0.25))])[0].Score!.Value, 12);
    }

    [Fact]
    public void ParetoModeRanksFrontsAndLeavesFailedPredictionsUnranked()
    {
        var calculator = new RankingCalculator(new RankingSpec(RankingMode.Pareto,
            [new Objective("gap", ObjectiveGoal.Maximize), new Objective("ef", ObjectiveGoal.Minimize)]));
        var failed = new Prediction("ef", "v1", null, null, null, " ?", "no number");
        var scores = calculator.Rank([
            Candidate(10, Value("gap", 3), Value("ef", 0)),   // front
            Candidate(11, Value("gap", 2), Value("ef", -1)),  // front (trade-off)
            Candidate(12, Value("gap", 2), Value("ef", 0)),   // dominated by 10 and 11
            Candidate(13, Value("gap", 3), Value("ef", 0)),   // tie with 10
            Candidate(14, Value("gap", 1), Value("ef", 1)),   // dominated by 12
            Candidate(15, Value("gap", 5), failed),
        ]);
        Assert.Equal(new int?[] { 0, 0, 1, 0, 2, null }, scores.Select(s => s.ParetoRank));
        Assert.Null(scores[5].Score);
    }

    [Fact]
    public void EqualValuesNormaliseToOne()
    {
        var calculator = new RankingCalculator(new RankingSpec(RankingMode.WeightedScore, [new Objective("gap", ObjectiveGoal.Maximize)]));
        Assert.All(calculator.Rank([Candidate(0, Value("gap", 2)), Candidate(1, Value("gap", 2))]), s => Assert.Equal(1.0, s.Score));
    }

    [Fact]
    public void InvalidSpecsAreRejectedWithTheReason()
    {
        Assert.Contains("two or more", Assert.Throws<ArgumentException>(() =>
            new RankingCalculator(new RankingSpec(RankingMode.Pareto, [new Objective("gap", ObjectiveGoal.Maximize)]))).Message);
        Assert.Contains("Target", Assert.Throws<ArgumentException>(() =>
            new RankingCalculator(new RankingSpec(RankingMode.WeightedScore, [new Objective("gap", ObjectiveGoal.Target)]))).Message);
        Assert.Contains("weight", Assert.Throws<ArgumentException>(() =>
            new RankingCalculator(new RankingSpec(RankingMode.WeightedScore, [new Objective("gap", ObjectiveGoal.Maximize, Weight: -1)]))).Message);
        Assert.Contains("no objectives", Assert.Throws<ArgumentException>(() =>
            new RankingCalculator(new RankingSpec(RankingMode.WeightedScore, []))).Message);
    }

    [Fact]
    public void FiltersPassOnlyOnSuccessfulPredictionsInRange()
    {
        var predictions = new Dictionary<string, Prediction>
        {
            ["gap"] = Value("gap", 1.5),
            ["metal"] = Class("metal", "nonmetal", 0.2),
            ["ef"] = new("ef", "v1", null, null, null, " ?", "failed"),
        };
        Assert.True(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("gap", FilterOperator.Between, 1.1, 1.8)]));
        Assert.True(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("gap", FilterOperator.Between, 1.5, 1.5)]));
        Assert.False(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("gap", FilterOperator.AtLeast, 1.6)]));
        Assert.True(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("gap", FilterOperator.AtMost, High: 1.5)]));
        Assert.True(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("metal", FilterOperator.IsNot, Label: "metal")]));
        Assert.False(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("metal", FilterOperator.Is, Label: "metal")]));
        Assert.True(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("metal", FilterOperator.AtMost, High: 0.2)])); // positive probability
        Assert.False(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("ef", FilterOperator.IsNot, Label: "x")]));  // failed
        Assert.False(RankingCalculator.PassesFilters(predictions, [new PropertyFilter("density", FilterOperator.AtLeast, 0)]));   // missing
        Assert.False(RankingCalculator.PassesFilters(predictions, [
            new PropertyFilter("gap", FilterOperator.AtLeast, 1.0), new PropertyFilter("metal", FilterOperator.Is, Label: "metal")]));
        Assert.True(RankingCalculator.PassesFilters(predictions, []));
        Assert.Contains("needs Label", Assert.Throws<ArgumentException>(() =>
            RankingCalculator.PassesFilters(predictions, [new PropertyFilter("metal", FilterOperator.Is)])).Message);
    }
}
