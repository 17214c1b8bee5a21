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

    public static double Coverage(IEnumerable<(double Low, double High, double Actual)> records)
    {
        var all = records.ToArray();
        return all.Length == 0 ? double.NaN : all.Count(r => r.Low <= r.Actual && r.Actual <= r.High) / (double)all.Length;
    }
}
