using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Screening;

namespace DarwinGrid.Domain.Acquisition;

/// <summary>
/// Acquisition values of one objective computed exactly over a model's discrete distribution: no
/// Gaussian assumption, so a bimodal answer (metal or 1.5 eV) is scored as the model says it.
/// Every value is "higher is better" whatever the goal.
/// </summary>
public static class ImprovementScores
{
    /// <summary>
    /// E[max(0, improvement)] over the best value measured so far: for maximize <c>v - best</c>, for
    /// minimize <c>best - v</c>, for a target <c>|best - t| - |v - t|</c> (closer to the target than
    /// the closest measured value). In the objective's unit.
    /// </summary>
    public static double ExpectedImprovement(NumericDistribution distribution, ScreeningGoal goal, double best, double? target = null)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var sum = 0.0;
        for (var i = 0; i < distribution.Count; i++)
            sum += distribution.Probabilities[i] * Math.Max(0, Gain(goal, distribution.Values[i], best, target));
        return sum;
    }

    /// <summary>P(improvement &gt; 0) over the best value measured so far: the classic probability of improvement.</summary>
    public static double ProbabilityOfImprovement(NumericDistribution distribution, ScreeningGoal goal, double best, double? target = null)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var sum = 0.0;
        for (var i = 0; i < distribution.Count; i++)
            if (Gain(goal, distribution.Values[i], best, target) > 0) sum += distribution.Probabilities[i];
        return Math.Min(1, sum);
    }

    /// <summary>
    /// The optimistic end of the central interval at <paramref name="level"/>: the upper quantile
    /// for maximize, minus the lower quantile for minimize, and for a target minus the distance
    /// from the target to the interval (0 when the interval holds it).
    /// </summary>
    public static double UpperConfidenceBound(NumericDistribution distribution, ScreeningGoal goal, double? target = null, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var (low, high) = distribution.CentralInterval(level);
        return goal switch
        {
            ScreeningGoal.Maximize => high,
            ScreeningGoal.Minimize => -low,
            _ => -Math.Max(0, Math.Max(low - RequireTarget(target), RequireTarget(target) - high)),
        };
    }

    /// <summary>The best of the measured values for the goal (highest, lowest, closest to the target).</summary>
    public static double BestMeasured(IEnumerable<double> measured, ScreeningGoal goal, double? target = null)
    {
        var values = measured.Where(double.IsFinite).ToList();
        if (values.Count == 0) throw new ArgumentException("Expected improvement needs at least one measured value.", nameof(measured));
        return values.MinBy(v => GoalOrder.Badness(goal, target, v));
    }

    private static double Gain(ScreeningGoal goal, double value, double best, double? target) => goal switch
    {
        ScreeningGoal.Maximize => value - best,
        ScreeningGoal.Minimize => best - value,
        _ => Math.Abs(best - RequireTarget(target)) - Math.Abs(value - RequireTarget(target)),
    };

    private static double RequireTarget(double? target) =>
        target ?? throw new ArgumentException("A target objective needs its target value.", nameof(target));
}
