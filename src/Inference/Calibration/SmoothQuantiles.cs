using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Inference.Calibration;

/// <summary>
/// Quantiles of a <see cref="NumericDistribution"/> read from a piecewise-linear quantile function:
/// each value holds its share of the probability (flat over the middle of its mass) and the
/// function rises linearly between neighbouring values. A distribution of 17 equally weighted
/// samples then has an interval for every level instead of 17 discrete ranks, so a conformal
/// factor can shrink or widen it continuously; repeated values (many metals sampled as 0) stay flat.
/// </summary>
public static class SmoothQuantiles
{
    public static double Quantile(NumericDistribution distribution, double p)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (!(p is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A quantile level must be in [0, 1].");
        var values = distribution.Values;
        var probabilities = distribution.Probabilities;
        // Half the smallest value's mass: for N equal samples the 1/(2N) of the usual midpoint rule.
        var half = probabilities.Min() / 2;
        var cumulative = 0.0;
        var previousKnot = (Level: double.NaN, Value: double.NaN);
        for (var i = 0; i < values.Length; i++)
        {
            var first = cumulative + half;
            cumulative += probabilities[i];
            var last = cumulative - half;
            if (p < first)
                return double.IsNaN(previousKnot.Level) ? values[i] : Interpolate(previousKnot, (first, values[i]), p);
            if (p <= last) return values[i];
            previousKnot = (last, values[i]);
        }
        return values[^1];
    }

    /// <summary>The central interval holding <paramref name="level"/> of the probability, from <see cref="Quantile"/>.</summary>
    public static (double Low, double High) CentralInterval(NumericDistribution distribution, double level)
    {
        if (!(level is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "An interval level must be in (0, 1).");
        var tail = (1 - level) / 2;
        return (Quantile(distribution, tail), Quantile(distribution, 1 - tail));
    }

    private static double Interpolate((double Level, double Value) from, (double Level, double Value) to, double p) =>
        to.Level <= from.Level ? to.Value : from.Value + (to.Value - from.Value) * (p - from.Level) / (to.Level - from.Level);
}
