namespace DarwinGrid.Web.Charts;

/// <summary>A linear axis over "nice" round bounds (1, 2, 2.5 or 5 times a power of ten per tick).</summary>
public sealed record AxisScale(double Min, double Max, double Step)
{
    public IEnumerable<double> Ticks()
    {
        for (var i = 0; Min + i * Step <= Max + Step * 1e-9; i++)
            yield return Math.Round(Min + i * Step, 12);
    }

    /// <summary>Where <paramref name="value"/> falls between <see cref="Min"/> (0) and <see cref="Max"/> (1).</summary>
    public double Fraction(double value) => Max == Min ? 0.5 : (value - Min) / (Max - Min);

    /// <summary>An axis covering [<paramref name="low"/>, <paramref name="high"/>] with about <paramref name="ticks"/> ticks.</summary>
    public static AxisScale Nice(double low, double high, int ticks = 5)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"An axis needs finite bounds, not [{low}, {high}].");
        if (high < low)
            (low, high) = (high, low);
        if (high == low)
        {
            var pad = low == 0 ? 1 : Math.Abs(low) * 0.1;
            low -= pad;
            high += pad;
        }
        var step = NiceStep((high - low) / Math.Max(1, ticks - 1));
        return new AxisScale(Math.Floor(low / step) * step, Math.Ceiling(high / step) * step, step);
    }

    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var mantissa = rough / power;
        var nice = mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 2.5 ? 2.5 : mantissa <= 5 ? 5 : 10;
        return nice * power;
    }
}
