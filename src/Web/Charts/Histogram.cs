namespace DarwinGrid.Web.Charts;

public sealed record HistogramBin(double Low, double High, int Count);

/// <summary>Equal-width bins over the data's range; about √n bins, between 5 and 30.</summary>
public sealed record Histogram(IReadOnlyList<HistogramBin> Bins, int Total)
{
    public int MaxCount => Bins.Count == 0 ? 0 : Bins.Max(b => b.Count);

    public static Histogram Of(IReadOnlyCollection<double> values, int? binCount = null)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
            return new Histogram([], 0);
        var min = finite.Min();
        var max = finite.Max();
        var bins = binCount ?? Math.Clamp((int)Math.Round(Math.Sqrt(finite.Length)), 5, 30);
        if (max == min)
            return new Histogram([new HistogramBin(min, max, finite.Length)], finite.Length);
        var width = (max - min) / bins;
        var counts = new int[bins];
        foreach (var value in finite)
            counts[Math.Min(bins - 1, (int)((value - min) / width))]++;
        return new Histogram([.. counts.Select((count, i) => new HistogramBin(min + i * width, i == bins - 1 ? max : min + (i + 1) * width, count))], finite.Length);
    }
}
