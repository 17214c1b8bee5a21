using System.Collections.Immutable;

namespace DarwinGrid.Domain.Predictions;

/// <summary>
/// A model's distribution over a numeric answer: distinct values in ascending order with their
/// probabilities (summing to 1 over the values listed). <see cref="CoveredMass"/> is the share of
/// the model's own probability that the search enumerated before renormalising (1 for an exact
/// enumeration), so a caller can tell a thin search from a confident model.
/// Quantiles are lower quantiles (the smallest value whose cumulative probability reaches p), so
/// every estimate is a value the model can actually say.
/// </summary>
public sealed record NumericDistribution
{
    private NumericDistribution(ImmutableArray<double> values, ImmutableArray<double> probabilities, double coveredMass)
    {
        Values = values;
        Probabilities = probabilities;
        CoveredMass = coveredMass;
    }

    public ImmutableArray<double> Values { get; }

    public ImmutableArray<double> Probabilities { get; }

    public double CoveredMass { get; }

    public int Count => Values.Length;

    /// <summary>
    /// Merges equal values, drops non-finite values and zero weights, sorts and renormalises.
    /// Weights need not sum to 1 (they are the probabilities of the paths found).
    /// </summary>
    public static NumericDistribution FromWeighted(IEnumerable<(double Value, double Weight)> points, double coveredMass = 1.0)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!(coveredMass is > 0 and <= 1.000001))
            throw new ArgumentOutOfRangeException(nameof(coveredMass), coveredMass, "Covered mass must be in (0, 1].");
        var merged = new SortedDictionary<double, double>();
        foreach (var (value, weight) in points)
        {
            if (!double.IsFinite(value) || !double.IsFinite(weight) || weight < 0)
                continue;
            if (weight == 0) continue;
            var key = value == 0 ? 0.0 : value; // -0 and 0 are one value
            merged[key] = merged.GetValueOrDefault(key) + weight;
        }
        if (merged.Count == 0)
            throw new ArgumentException("A distribution needs at least one finite value with a positive weight.", nameof(points));
        var total = merged.Values.Sum();
        return new NumericDistribution(
            [.. merged.Keys],
            [.. merged.Values.Select(w => w / total)],
            Math.Min(1.0, coveredMass));
    }

    public static NumericDistribution PointMass(double value) => FromWeighted([(value, 1.0)]);

    public double Mean
    {
        get
        {
            var sum = 0.0;
            for (var i = 0; i < Values.Length; i++) sum += Values[i] * Probabilities[i];
            return sum;
        }
    }

    /// <summary>The estimate that minimises the expected absolute error.</summary>
    public double Median => Quantile(0.5);

    /// <summary>The most probable single value.</summary>
    public double Mode
    {
        get
        {
            var best = 0;
            for (var i = 1; i < Values.Length; i++)
                if (Probabilities[i] > Probabilities[best]) best = i;
            return Values[best];
        }
    }

    /// <summary>The smallest value whose cumulative probability is at least <paramref name="p"/> (0 &lt;= p &lt;= 1).</summary>
    public double Quantile(double p)
    {
        if (!(p is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A quantile level must be in [0, 1].");
        var cumulative = 0.0;
        for (var i = 0; i < Values.Length; i++)
        {
            cumulative += Probabilities[i];
            // A little slack so rounding in the sum does not skip the value that reaches p exactly.
            if (cumulative >= p - 1e-12) return Values[i];
        }
        return Values[^1];
    }

    /// <summary>The central interval holding <paramref name="level"/> of the probability (e.g. 0.9: the 5% and 95% quantiles).</summary>
    public (double Low, double High) CentralInterval(double level)
    {
        if (!(level is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "An interval level must be in (0, 1).");
        var tail = (1 - level) / 2;
        return (Quantile(tail), Quantile(1 - tail));
    }

    /// <summary>P(low &lt;= X &lt;= high); either bound may be null (open).</summary>
    public double ProbabilityBetween(double? low, double? high)
    {
        var sum = 0.0;
        for (var i = 0; i < Values.Length; i++)
        {
            var v = Values[i];
            if ((low is null || v >= low) && (high is null || v <= high)) sum += Probabilities[i];
        }
        return Math.Clamp(sum, 0, 1);
    }

    /// <summary>P(X = 0): the share of answers that are exactly zero (metals, for a band gap).</summary>
    public double ProbabilityOfZero => ProbabilityBetween(0, 0);
}
