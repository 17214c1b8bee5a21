using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// A candidate's acquisition value under a proposal rule, read from its stored predictions with the
/// domain's exact formulas (<see cref="ImprovementScores"/>): <c>poi</c> the probability that every
/// campaign filter is met; <c>ei</c> the expected improvement of the objective over the best value
/// measured so far, times that probability when the campaign has filters (improving on a candidate
/// that fails a filter gains the lab nothing); <c>ucb</c> the objective's optimistic end of the 90%
/// interval. A regression prediction without a distribution counts as a point mass on its value;
/// a failed or missing prediction leaves the candidate out (null).
/// </summary>
public static class AcquisitionScoring
{
    public const double UcbLevel = 0.9;

    public static double? Score(ProposalRule rule, IReadOnlyDictionary<string, Prediction> predictions,
        IReadOnlyList<PropertyFilter> filters, Objective? objective, double? best)
    {
        switch (rule)
        {
            case ProposalRule.Poi:
                return filters.Count == 0 || !filters.All(f => predictions.TryGetValue(f.Task, out var p) && p.Succeeded)
                    ? null
                    : SuccessProbability.Of(predictions, filters);
            case ProposalRule.Ei:
            {
                if (Distribution(predictions, objective!.Task) is not { } distribution)
                    return null;
                var ei = ImprovementScores.ExpectedImprovement(distribution, Goal(objective.Goal), best!.Value, objective.Target);
                return filters.Count == 0 ? ei : ei * SuccessProbability.Of(predictions, filters);
            }
            case ProposalRule.Ucb:
                return Distribution(predictions, objective!.Task) is { } d
                    ? ImprovementScores.UpperConfidenceBound(d, Goal(objective.Goal), objective.Target, UcbLevel)
                    : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown proposal rule.");
        }
    }

    /// <summary>The prediction's distribution, a point mass on a value without one, or null when there is no usable number.</summary>
    public static NumericDistribution? Distribution(IReadOnlyDictionary<string, Prediction> predictions, string task)
    {
        if (!predictions.TryGetValue(task, out var prediction) || prediction.Error is not null)
            return null;
        if (prediction.Distribution is { Values.IsDefaultOrEmpty: false } distribution)
            return distribution.ToDomain();
        return prediction.Value is { } value && double.IsFinite(value) ? NumericDistribution.PointMass(value) : null;
    }

    public static ScreeningGoal Goal(ObjectiveGoal goal) => goal switch
    {
        ObjectiveGoal.Maximize => ScreeningGoal.Maximize,
        ObjectiveGoal.Minimize => ScreeningGoal.Minimize,
        ObjectiveGoal.Target => ScreeningGoal.Target,
        _ => throw new ArgumentOutOfRangeException(nameof(goal), goal, "Unknown goal."),
    };
}
