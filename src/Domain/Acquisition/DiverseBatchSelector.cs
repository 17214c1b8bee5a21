using DarwinGrid.Domain.Compositions;

namespace DarwinGrid.Domain.Acquisition;

/// <summary>A candidate with its acquisition value (higher is better).</summary>
public sealed record ScoredCandidate(string Id, Composition Composition, double Score);

/// <summary>One pick of a batch: its acquisition value, its similarity to the closest earlier pick, and the value it was chosen by.</summary>
public sealed record BatchPick(ScoredCandidate Candidate, double MaxSimilarity, double AdjustedScore);

/// <summary>
/// Chooses a batch greedily: each pick maximises <c>s / s_max - λ · max similarity to the picks so
/// far</c>, where scores are divided by the largest so that λ means the same for every rule (a
/// probability, an expected improvement in eV, a quantile in MPa). λ = 0 is the plain top N.
/// Ties go to the earlier candidate, so the choice is deterministic.
/// </summary>
public static class DiverseBatchSelector
{
    public static IReadOnlyList<BatchPick> Select(IReadOnlyList<ScoredCandidate> candidates, int count, double diversityWeight)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(diversityWeight >= 0) || !double.IsFinite(diversityWeight))
            throw new ArgumentOutOfRangeException(nameof(diversityWeight), diversityWeight, "The diversity weight must be a finite number >= 0.");
        if (candidates.Any(c => !double.IsFinite(c.Score)))
            throw new ArgumentException("Every candidate needs a finite acquisition score.", nameof(candidates));

        var scale = candidates.Count == 0 ? 1 : Math.Max(candidates.Max(c => Math.Abs(c.Score)), double.Epsilon);
        var closest = new double[candidates.Count]; // max similarity to the picks so far
        var taken = new bool[candidates.Count];
        var picks = new List<BatchPick>(Math.Min(count, candidates.Count));
        while (picks.Count < count && picks.Count < candidates.Count)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (taken[i]) continue;
                var value = candidates[i].Score / scale - diversityWeight * closest[i];
                if (value > bestValue) (best, bestValue) = (i, value);
            }
            taken[best] = true;
            picks.Add(new BatchPick(candidates[best], closest[best], bestValue));
            if (diversityWeight == 0) continue;
            for (var i = 0; i < candidates.Count; i++)
                if (!taken[i])
                    closest[i] = Math.Max(closest[i], CompositionSimilarity.Of(candidates[i].Composition, candidates[best].Composition));
        }
        return picks;
    }
}
