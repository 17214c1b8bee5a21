namespace DarwinGrid.Web.Charts;

/// <summary>
/// The range a chart axis shows. Model answers can be wild (a random or young model says 4e258 eV),
/// so values beyond Tukey's far-out fences (3 interquartile ranges outside the quartiles) do not
/// stretch the axis: it covers the values inside the fences, and the others are drawn at the edge
/// and counted. Data without such outliers keeps its full range.
/// </summary>
public readonly record struct RobustRange(double Low, double High, bool Clipped)
{
    private const double FenceFactor = 3;

    public double Clamp(double value) => Math.Clamp(value, Low, High);

    public bool IsOutside(double value) => value < Low || value > High;

    public static RobustRange Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            return new RobustRange(0, 1, false);
        var sorted = values.Order().ToArray();
        var (min, max) = (sorted[0], sorted[^1]);
        if (sorted.Length < 8)
            return new RobustRange(min, max, false);
        var q1 = Quantile(sorted, 0.25);
        var q3 = Quantile(sorted, 0.75);
        var spread = q3 - q1;
        if (spread <= 0)
            return new RobustRange(min, max, false);
        var (lowFence, highFence) = (q1 - FenceFactor * spread, q3 + FenceFactor * spread);
        if (min >= lowFence && max <= highFence)
            return new RobustRange(min, max, false);
        return new RobustRange(sorted.First(v => v >= lowFence), sorted.Last(v => v <= highFence), true);
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
