namespace DarwinGrid.Domain.Metrics;

internal static class MetricArguments
{
    public static void CheckPaired<TA, TB>(IReadOnlyList<TA> actual, IReadOnlyList<TB> predicted, string metric)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count)
            throw new ArgumentException(
                $"{metric}: {actual.Count} actual values but {predicted.Count} predictions; they must pair up.", nameof(predicted));
        if (actual.Count == 0)
            throw new ArgumentException($"{metric}: no values to score.", nameof(actual));
    }

    public static void CheckFinite(IReadOnlyList<double> values, string name, string metric)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{metric}: {name}[{i}] is {values[i]}, not a finite number.", name);
        }
    }
}
