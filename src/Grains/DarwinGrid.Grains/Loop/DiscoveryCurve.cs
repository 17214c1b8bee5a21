using System.Collections.Immutable;
using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// Hits and the best measured value per proposal round. A hit is a proposed candidate whose
/// measured values meet every campaign filter (a filter on a task it was not measured for is not
/// met); without filters nothing counts as a hit and the curve is the best measured objective value
/// among the candidates proposed up to that round.
/// </summary>
public static class DiscoveryCurve
{
    public static ImmutableArray<DiscoveryPoint> Of(IReadOnlyList<LoopProposal> proposals, IReadOnlyList<LabMeasurement> current,
        IReadOnlyList<PropertyFilter> filters, Objective? objective)
    {
        var byComposition = current.GroupBy(r => r.Composition, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var points = ImmutableArray.CreateBuilder<DiscoveryPoint>();
        var cumulative = 0;
        double? best = null;
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var proposal in proposals)
        {
            int measured = 0, hits = 0;
            foreach (var candidate in proposal.Candidates)
            {
                if (!byComposition.TryGetValue(candidate.Composition, out var rows))
                    continue;
                measured++;
                // A candidate proposed again in a later round is counted once, in the round it was first measured for.
                if (!counted.Add(candidate.Composition))
                    continue;
                if (filters.Count > 0 && filters.All(f => rows.Any(r => r.Task == f.Task && PredictionFilters.Meets(f, r.Value, r.Label))))
                    hits++;
                if (objective is not null)
                {
                    foreach (var value in rows.Where(r => r.Task == objective.Task && r.Value is not null).Select(r => r.Value!.Value))
                        best = best is null || Better(value, best.Value, objective) ? value : best;
                }
            }
            cumulative += hits;
            points.Add(new DiscoveryPoint(proposal.Round, measured, hits, cumulative, best));
        }
        return points.ToImmutable();
    }

    private static bool Better(double value, double best, Objective objective)
    {
        var goal = AcquisitionScoring.Goal(objective.Goal);
        return GoalOrder.Badness(goal, objective.Target, value) < GoalOrder.Badness(goal, objective.Target, best);
    }
}
