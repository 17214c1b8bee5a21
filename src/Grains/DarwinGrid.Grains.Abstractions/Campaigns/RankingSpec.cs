using System.Collections.Immutable;

namespace DarwinGrid.Grains.Campaigns;

public enum RankingMode
{
    /// <summary>Sort by the weighted sum of the objectives' normalised scores.</summary>
    WeightedScore = 0,
    /// <summary>Non-dominated sorting over two or more objectives; rank 0 is the Pareto front.</summary>
    Pareto = 1,
    /// <summary>
    /// By the probability that the candidate passes every filter, read from the predicted
    /// distributions and calibrated class probabilities (see <c>SuccessProbability</c>); needs
    /// filters, not objectives. Named <c>success</c> in the CLI, REST and text syntax.
    /// </summary>
    ProbabilityOfSuccess = 2,
}

public enum ObjectiveGoal
{
    Maximize = 0,
    Minimize = 1,
    /// <summary>Closest to <see cref="Objective.Target"/> first.</summary>
    Target = 2,
}

/// <summary>
/// One ranking term. For a classification task the value ranked is the probability of
/// <see cref="Label"/> (the positive label when null).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Objective(
    [property: Id(0)] string Task,
    [property: Id(1)] ObjectiveGoal Goal,
    [property: Id(2)] double? Target = null,
    [property: Id(3)] double Weight = 1.0,
    [property: Id(4)] string? Label = null);

[GenerateSerializer, Immutable]
public sealed record RankingSpec(
    [property: Id(0)] RankingMode Mode,
    [property: Id(1)] ImmutableArray<Objective> Objectives);
