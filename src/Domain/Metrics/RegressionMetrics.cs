namespace DarwinGrid.Domain.Metrics;

/// <summary>Error measures for numeric predictions (Matbench reports MAE for regression tasks).</summary>
public static class RegressionMetrics
{
    public static double MeanAbsoluteError(IReadOnlyList<double> actual, IReadOnlyList<double> predicted) =>
        Residuals(actual, predicted, "MAE").Average(Math.Abs);

    public static double RootMeanSquaredError(IReadOnlyList<double> actual, IReadOnlyList<double> predicted) =>
        Math.Sqrt(Residuals(actual, predicted, "RMSE").Average(r => r * r));

    public static double MaxError(IReadOnlyList<double> actual, IReadOnlyList<double> predicted) =>
        Residuals(actual, predicted, "Max error").Max(Math.Abs);

    /// <summary>Coefficient of determination, 1 - SS_res / SS_tot. Undefined when all actual values are equal.</summary>
    public static double R2(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var residuals = Residuals(actual, predicted, "R2");
        var mean = actual.Average();
        var total = actual.Sum(a => (a - mean) * (a - mean));
        if (total == 0)
            throw new ArgumentException("R2: all actual values are equal, so R2 is undefined.", nameof(actual));
        return 1 - residuals.Sum(r => r * r) / total;
    }

    /// <summary>
    /// Mean absolute percentage error as a fraction (0.1 = 10%). Undefined when an actual value is
    /// zero (matbench_expt_gap has many zero band gaps), which is reported rather than skipped.
    /// </summary>
    public static double MeanAbsolutePercentageError(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var residuals = Residuals(actual, predicted, "MAPE");
        var zeros = actual.Count(a => a == 0);
        if (zeros > 0)
            throw new ArgumentException(
                $"MAPE: {zeros} actual value(s) are zero (first at index {actual.ToList().IndexOf(0)}); MAPE is undefined for them.",
                nameof(actual));
        return residuals.Select((r, i) => Math.Abs(r / actual[i])).Average();
    }

    private static double[] Residuals(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, string metric)
    {
        MetricArguments.CheckPaired(actual, predicted, metric);
        MetricArguments.CheckFinite(actual, nameof(actual), metric);
        MetricArguments.CheckFinite(predicted, nameof(predicted), metric);
        return actual.Select((a, i) => predicted[i] - a).ToArray();
    }
}
