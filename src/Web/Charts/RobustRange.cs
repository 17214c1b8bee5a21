namespace DarwinGrid.Web.Charts;

/// <summary>
/// The range a chart axis shows. Model answers can be wild (a random or young model says 4e43 eV);
/// when the extremes lie far outside the bulk, the axis covers the 1st–99th percentile and the
/// values beyond it are drawn at the edge and counted, so one outlier does not flatten the picture.
/// </summary>
public readonly record struct RobustRange(double Low, double High, bool Clipped)
{
    /// <summary>Extremes this many times wider than the 1–99 % spread count as outliers.</summary>
    private const double OutlierFactor = 10;

    public double Clamp(double value) => Math.Clamp(value, Low, High);

    public bool IsOutside(double value) => value < Low || value > High;

    public static RobustRange Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            return new RobustRange(0, 1, false);
        var sorted = values.Order().ToArray();
        var (min, max) = (sorted[0], sorted[^1]);
        if (sorted.Length < 20)
            return new RobustRange(min, max, false);
        var low = sorted[(int)Math.Floor(0.01 * (sorted.Length - 1))];
        var high = sorted[(int)Math.Ceiling(0.99 * (sorted.Length - 1))];
        var spread = high - low;
        if (spread <= 0 || max - min <= OutlierFactor * spread)
            return new RobustRange(min, max, false);
        // Keep the values near the bulk (within half its spread): only the far ones are outliers.
        var keptLow = sorted.First(v => v >= low - spread / 2);
        var keptHigh = sorted.Last(v => v <= high + spread / 2);
        return new RobustRange(keptLow, keptHigh, true);
    }
}
