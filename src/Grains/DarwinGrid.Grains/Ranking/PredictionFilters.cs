using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Ranking;

/// <summary>
/// What a <see cref="PropertyFilter"/> means, shared by in-memory checks and the SQL the results
/// store generates: a filter on a task without a prediction, or with a failed one, does not pass.
/// Numeric filters compare <see cref="NumericValue"/>; Is / IsNot compare the predicted label ordinally.
/// </summary>
public static class PredictionFilters
{
    /// <summary>The number a prediction is filtered and sorted by: its value, else the positive label's probability; none when it failed.</summary>
    public static double? NumericValue(Prediction prediction) =>
        prediction.Error is not null ? null
        : prediction.Value is { } value && !double.IsNaN(value) ? value
        : prediction.Probability is { } probability && !double.IsNaN(probability) ? probability
        : null;

    public static bool Passes(IReadOnlyDictionary<string, Prediction> predictions, IEnumerable<PropertyFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(filters);
        foreach (var filter in filters)
        {
            Validate(filter);
            if (!predictions.TryGetValue(filter.Task, out var prediction) || !Passes(prediction, filter))
                return false;
        }
        return true;
    }

    public static bool Passes(Prediction prediction, PropertyFilter filter) =>
        prediction.Error is null && Meets(filter, NumericValue(prediction), prediction.Label);

    /// <summary>Whether a value or label meets the filter: a predicted one, or one a lab measured.</summary>
    public static bool Meets(PropertyFilter filter, double? value, string? label) => filter.Operator switch
    {
        FilterOperator.Between => value is { } v && v >= filter.Low!.Value && v <= filter.High!.Value,
        FilterOperator.AtLeast => value is { } v && v >= filter.Low!.Value,
        FilterOperator.AtMost => value is { } v && v <= filter.High!.Value,
        FilterOperator.Is => label is not null && string.Equals(label, filter.Label, StringComparison.Ordinal),
        FilterOperator.IsNot => label is not null && !string.Equals(label, filter.Label, StringComparison.Ordinal),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.Operator, $"Unknown filter operator on task '{filter.Task}'."),
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the task and the missing bound or label.</summary>
    public static void Validate(PropertyFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (string.IsNullOrWhiteSpace(filter.Task))
            throw new ArgumentException("A property filter has no task.", nameof(filter));
        string? problem = filter.Operator switch
        {
            FilterOperator.Between when filter.Low is null || filter.High is null => "Between needs both Low and High",
            FilterOperator.Between when filter.Low > filter.High => $"Between has Low {filter.Low} above High {filter.High}",
            FilterOperator.AtLeast when filter.Low is null => "AtLeast needs Low",
            FilterOperator.AtMost when filter.High is null => "AtMost needs High",
            FilterOperator.Is or FilterOperator.IsNot when filter.Label is null => $"{filter.Operator} needs Label",
            FilterOperator.Between or FilterOperator.AtLeast or FilterOperator.AtMost
                when double.IsNaN(filter.Low ?? 0) || double.IsNaN(filter.High ?? 0) => "a bound is NaN",
            FilterOperator.Between or FilterOperator.AtLeast or FilterOperator.AtMost or FilterOperator.Is or FilterOperator.IsNot => null,
            _ => $"unknown operator {(int)filter.Operator}",
        };
        if (problem is not null)
            throw new ArgumentException($"Filter on task '{filter.Task}': {problem}.", nameof(filter));
    }
}
