namespace DarwinGrid.Domain.Descriptors;

/// <summary>
/// matminer's <c>PropertyStats</c> with atom fractions as weights (the fractions sum to 1, so
/// the weighted sums need no division). Any NaN value makes every statistic NaN, as in matminer.
/// </summary>
internal static class WeightedStatistics
{
    public static double Mean(ReadOnlySpan<double> values, ReadOnlySpan<double> fractions)
    {
        var sum = 0.0;
        for (var i = 0; i < values.Length; i++)
            sum += fractions[i] * values[i];
        return sum;
    }

    /// <summary>Fraction-weighted mean absolute deviation from the weighted mean.</summary>
    public static double AverageDeviation(ReadOnlySpan<double> values, ReadOnlySpan<double> fractions)
    {
        var mean = Mean(values, fractions);
        var sum = 0.0;
        for (var i = 0; i < values.Length; i++)
            sum += fractions[i] * Math.Abs(values[i] - mean);
        return sum;
    }

    public static double Minimum(ReadOnlySpan<double> values)
    {
        var min = double.PositiveInfinity;
        foreach (var value in values)
        {
            if (double.IsNaN(value))
                return double.NaN;
            min = Math.Min(min, value);
        }
        return min;
    }

    public static double Maximum(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (double.IsNaN(value))
                return double.NaN;
            max = Math.Max(max, value);
        }
        return max;
    }

    /// <summary>
    /// matminer's weighted mode: the value of the element with the largest fraction; among
    /// elements tied for the largest fraction, the smallest value (NaCl: min(Na, Cl)).
    /// </summary>
    public static double Mode(ReadOnlySpan<double> values, ReadOnlySpan<double> fractions)
    {
        var largest = double.NegativeInfinity;
        foreach (var fraction in fractions)
            largest = Math.Max(largest, fraction);
        var mode = double.PositiveInfinity;
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
                return double.NaN;
            if (fractions[i] == largest)
                mode = Math.Min(mode, values[i]);
        }
        return mode;
    }

    /// <summary>Stoichiometric p-norm of the fractions; p = 0 is the number of elements (matminer's convention).</summary>
    public static double PNorm(ReadOnlySpan<double> fractions, int p)
    {
        if (p == 0)
            return fractions.Length;
        var sum = 0.0;
        foreach (var fraction in fractions)
            sum += Math.Pow(fraction, p);
        return Math.Pow(sum, 1.0 / p);
    }
}
