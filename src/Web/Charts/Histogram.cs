namespace DarwinGrid.Web.Charts;

public sealed record HistogramBin(double Low, double High, int Count);

/// <summary>
/// Equal-width bins (about √n, between 5 and 30) over the values' <see cref="RobustRange"/>; values
/// beyond it are counted in the first or last bin and in <see cref="Outliers"/>.
/// </summary>
public sealed record Histogram(IReadOnlyList<HistogramBin> Bins, int Total, int Outliers = 0)
{
    public int MaxCount => Bins.Count == 0 ? 0 : Bins.Max(b => b.Count);

    public static Histogram Of(IReadOnlyCollection<double> values, int? binCount = null)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
            return new Histogram([], 0);
        var range = RobustRange.Of(finite);
        var (min, max) = (range.Low, range.High);
        var bins = binCount ?? Math.Clamp((int)Math.Round(Math.Sqrt(finite.Length)), 5, 30);
        if (max == min)
            return new Histogram([new HistogramBin(min, max, finite.Length)], finite.Length);
        var width = (max - min) / bins;
        var counts = new int[bins];
        var outliers = 0;
        foreach (var value in finite)
        {
            if (range.IsOutside(value))
                outliers++;
            counts[Math.Clamp((int)((range.Clamp(value) - min) / width), 0, bins - 1)]++;
        }
        return new Histogram([.. counts.Select((count, i) => new HistogramBin(min + i * width, i == bins - 1 ? max : min + (i + 1) * width, count))],
            finite.Length, outliers);
    }
}
