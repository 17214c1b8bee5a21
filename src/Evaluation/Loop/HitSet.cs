using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Screening;

namespace DarwinGrid.Evaluation.Loop;

/// <summary>
/// The pool's hits: its best <c>share</c> by the objective (highest, lowest, or closest to the
/// target), at least one. Ties at the cut are all hits, so the set never depends on input order.
/// <see cref="Threshold"/> is the worst hit's value (for a target: its distance from the target).
/// </summary>
public sealed record HitSet(IReadOnlySet<string> Compositions, double Threshold)
{
    public static HitSet Of(IReadOnlyList<PoolRecord> pool, ScreeningGoal goal, double? target, double share)
    {
        if (pool.Count == 0) throw new ArgumentException("The pool is empty.", nameof(pool));
        double Badness(double v) => GoalOrder.Badness(goal, target, v);
        var count = Math.Max(1, (int)Math.Floor(pool.Count * share));
        var cut = pool.Select(r => Badness(r.Value)).Order().ElementAt(count - 1);
        var hits = pool.Where(r => Badness(r.Value) <= cut).Select(r => r.Composition).ToHashSet(StringComparer.Ordinal);
        return new HitSet(hits, goal == ScreeningGoal.Maximize ? -cut : cut);
    }
}
