using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Inference.Calibration;

/// <summary>
/// Split-conformal calibration of intervals (conformalised quantile regression, Romano et al. 2019):
/// each validation record scores how far its true value lies outside the raw interval
/// (<c>max(low - y, y - high)</c>, negative inside); the margin is the ⌈(n+1)·level⌉-th smallest
/// score, so widening every interval by it covers a new exchangeable record with probability
/// at least <c>level</c>.
/// </summary>
public static class SplitConformal
{
    public static double Margin(IReadOnlyList<(double Low, double High, double Actual)> records, double level)
    {
        if (!(level is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be in (0, 1).");
        if (records.Count == 0) throw new ArgumentException("Conformal calibration needs at least one validation record.", nameof(records));
        var scores = records.Select(r => Math.Max(r.Low - r.Actual, r.Actual - r.High)).Order().ToArray();
        var rank = (int)Math.Ceiling((scores.Length + 1) * level);
        // Too few records for the level: the largest score is the best finite margin there is.
        return scores[Math.Min(rank, scores.Length) - 1];
    }

    /// <summary>
    /// Nested split conformal over the distribution's own central intervals: each record scores the
    /// smallest level in <see cref="Levels"/> whose central interval holds its true value (infinity
    /// when none does), and the ⌈(n+1)·level⌉-th smallest score is the level that covers a new
    /// exchangeable record with probability at least <paramref name="level"/>. Null when that score
    /// is infinite (then only an additive margin can reach the level). Unlike a margin added to
    /// both ends of every interval, it keeps intervals narrow where the model is sure and wide
    /// where its samples spread.
    /// </summary>
    public static double? SampleLevel(IReadOnlyList<(NumericDistribution Distribution, double Actual)> records, double level)
    {
        if (!(level is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be in (0, 1).");
        if (records.Count == 0) throw new ArgumentException("Conformal calibration needs at least one validation record.", nameof(records));
        var scores = records.Select(r => Levels.FirstOrDefault(l => Holds(r.Distribution.CentralInterval(l), r.Actual), double.PositiveInfinity)).Order().ToArray();
        var rank = (int)Math.Ceiling((scores.Length + 1) * level);
        if (rank > scores.Length) return null;
        var chosen = scores[rank - 1];
        return double.IsInfinity(chosen) ? null : chosen;
    }

    /// <summary>The central-interval levels <see cref="SampleLevel"/> chooses from (0.02 to 0.98 by 0.02, then 0.999: the whole range of the samples).</summary>
    public static IReadOnlyList<double> Levels { get; } = [.. Enumerable.Range(1, 49).Select(i => i / 50.0), 0.999];

    private static bool Holds((double Low, double High) interval, double actual) => interval.Low <= actual && actual <= interval.High;

    public static double Coverage(IEnumerable<(double Low, double High, double Actual)> records)
    {
        var all = records.ToArray();
        return all.Length == 0 ? double.NaN : all.Count(r => r.Low <= r.Actual && r.Actual <= r.High) / (double)all.Length;
    }
}
