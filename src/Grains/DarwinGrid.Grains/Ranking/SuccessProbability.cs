using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Ranking;

/// <summary>
/// Filters read as probabilities: the probability that a candidate meets every filter given the
/// model's predictive distributions.
/// <para>Per task, all of its filters are read together (two bounds on one band gap are one
/// event, not two): a regression prediction with a distribution gives the probability mass of the
/// values that meet every numeric filter on the task (<c>band_gap between 1.1 and 1.8</c> →
/// P(1.1 ≤ gap ≤ 1.8)); a classification prediction with label probabilities gives the summed
/// (calibrated) probability of the labels that meet every label filter (<c>is_metal = false</c> →
/// P(false)), numeric bounds on a binary task's positive probability staying a yes/no test of that
/// probability.</para>
/// <para>A prediction without a distribution (greedy decoding, a model without one) counts as a
/// point mass on its value: 1 when it passes, 0 when it does not. A missing or failed prediction
/// gives 0.</para>
/// <para>Across tasks the probabilities are multiplied: this assumes the tasks' errors are
/// independent given the composition, which the model does not promise (band gap and metallicity
/// are correlated properties, but their predictions come from separate prompts).</para>
/// </summary>
public static class SuccessProbability
{
    /// <summary>P(every filter met); 1 when there are no filters.</summary>
    public static double Of(IReadOnlyDictionary<string, Prediction> predictions, IEnumerable<PropertyFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(filters);
        var product = 1.0;
        foreach (var group in filters.GroupBy(f => f.Task, StringComparer.Ordinal))
        {
            if (!predictions.TryGetValue(group.Key, out var prediction))
                return 0;
            product *= ForTask(prediction, [.. group]);
            if (product == 0)
                return 0;
        }
        return product;
    }

    /// <summary>As <see cref="Of"/>, but null when there are no filters (nothing to succeed at), as results report it.</summary>
    public static double? OfCampaign(IReadOnlyDictionary<string, Prediction> predictions, IReadOnlyCollection<PropertyFilter> filters) =>
        filters.Count == 0 ? null : Of(predictions, filters);

    /// <summary>P(every one of <paramref name="filters"/> is met), all on the prediction's task.</summary>
    public static double ForTask(Prediction prediction, IReadOnlyList<PropertyFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(filters);
        foreach (var filter in filters)
            PredictionFilters.Validate(filter);
        if (prediction.Error is not null)
            return 0;
        if (prediction.Distribution is { Values.IsDefaultOrEmpty: false } distribution && prediction.Label is null)
            return RegressionProbability(distribution, filters);
        if (prediction.LabelProbabilities is { Count: > 0 } labels)
            return ClassProbability(prediction, labels, filters);
        return filters.All(f => PredictionFilters.Passes(prediction, f)) ? 1 : 0;
    }

    private static double RegressionProbability(PredictedDistribution distribution, IReadOnlyList<PropertyFilter> filters)
    {
        if (filters.Any(f => f.Operator is FilterOperator.Is or FilterOperator.IsNot))
            return 0; // a number has no label, as PredictionFilters says
        var (low, high) = Bounds(filters);
        double sum = 0, total = 0;
        for (var i = 0; i < distribution.Values.Length; i++)
        {
            var p = distribution.Probabilities[i];
            total += p;
            var v = distribution.Values[i];
            if (v >= low && v <= high)
                sum += p;
        }
        return total > 0 ? Math.Clamp(sum / total, 0, 1) : 0;
    }

    private static double ClassProbability(Prediction prediction, IReadOnlyDictionary<string, double> labels, IReadOnlyList<PropertyFilter> filters)
    {
        var numeric = filters.Where(f => f.Operator is not (FilterOperator.Is or FilterOperator.IsNot)).ToList();
        if (numeric.Any(f => !PredictionFilters.Passes(prediction, f)))
            return 0;
        double sum = 0, total = 0;
        foreach (var (label, p) in labels)
        {
            if (!double.IsFinite(p) || p < 0)
                continue;
            total += p;
            if (filters.All(f => f.Operator switch
                {
                    FilterOperator.Is => string.Equals(label, f.Label, StringComparison.Ordinal),
                    FilterOperator.IsNot => !string.Equals(label, f.Label, StringComparison.Ordinal),
                    _ => true,
                }))
                sum += p;
        }
        return total > 0 ? Math.Clamp(sum / total, 0, 1) : 0;
    }

    /// <summary>The intersection of the numeric filters' ranges (closed bounds, as the filters are).</summary>
    private static (double Low, double High) Bounds(IReadOnlyList<PropertyFilter> filters)
    {
        double low = double.NegativeInfinity, high = double.PositiveInfinity;
        foreach (var f in filters)
        {
            if (f.Operator is FilterOperator.Between or FilterOperator.AtLeast)
                low = Math.Max(low, f.Low!.Value);
            if (f.Operator is FilterOperator.Between or FilterOperator.AtMost)
                high = Math.Min(high, f.High!.Value);
        }
        return (low, high);
    }
}
