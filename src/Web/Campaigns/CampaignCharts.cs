using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Web.Charts;
using DarwinGrid.Web.Formatting;

namespace DarwinGrid.Web.Campaigns;

/// <summary>
/// The data behind a campaign's charts: a sample of its results (in composition order, so it is not
/// biased towards the best ranked), a histogram per property, and scatter points for two properties.
/// </summary>
public sealed class CampaignCharts(IReadOnlyList<CandidateResult> sample, long totalResults, CampaignDefinition definition)
{
    public IReadOnlyList<CandidateResult> Sample { get; } = sample;

    public long TotalResults { get; } = totalResults;

    public bool IsPartial => Sample.Count < TotalResults;

    public Histogram HistogramOf(string task) =>
        Histogram.Of([.. Sample.Select(r => Numbers.Plotted(r.Predictions.GetValueOrDefault(task))).OfType<double>()]);

    /// <summary>Candidates with a plotted value for both properties, with their prediction intervals where they have them.</summary>
    public IReadOnlyList<ScatterPoint> PointsOf(string xTask, string yTask) =>
        [.. Sample.Select(r => (r.Composition, X: r.Predictions.GetValueOrDefault(xTask), Y: r.Predictions.GetValueOrDefault(yTask)))
            .Where(p => Numbers.Plotted(p.X) is not null && Numbers.Plotted(p.Y) is not null)
            .Select(p => new ScatterPoint(p.Composition, Numbers.Plotted(p.X)!.Value, Numbers.Plotted(p.Y)!.Value, IntervalOf(p.X!), IntervalOf(p.Y!)))];

    private static Interval? IntervalOf(Grains.Models.Prediction prediction) =>
        prediction.Low is { } low && prediction.High is { } high && double.IsFinite(low) && double.IsFinite(high) ? new Interval(low, high) : null;

    /// <summary>Which way a property is better: from the campaign's objective on it, else higher.</summary>
    public AxisGoal GoalOf(string task)
    {
        var objective = definition.Ranking.Objectives.IsDefaultOrEmpty ? null
            : definition.Ranking.Objectives.FirstOrDefault(o => string.Equals(o.Task, task, StringComparison.OrdinalIgnoreCase));
        return objective?.Goal switch
        {
            ObjectiveGoal.Minimize => new AxisGoal(false),
            ObjectiveGoal.Target => new AxisGoal(true, objective.Target),
            _ => AxisGoal.Maximizing,
        };
    }

    /// <summary>The two properties the scatter plot starts with: the first two objectives when ranked by Pareto, else the first two tasks.</summary>
    public (string X, string Y)? DefaultAxes()
    {
        var objectiveTasks = definition.Ranking.Objectives.IsDefaultOrEmpty ? [] : definition.Ranking.Objectives.Select(o => o.Task).Distinct().ToList();
        var candidates = objectiveTasks.Concat(definition.Tasks.Where(t => !objectiveTasks.Contains(t))).ToList();
        return candidates.Count >= 2 ? (candidates[0], candidates[1]) : null;
    }
}
