namespace DarwinGrid.Evaluation.Harness;

/// <summary>
/// A metric over folds: mean, population standard deviation (numpy's default, as Matbench
/// reports), minimum and maximum of the folds where it is defined; <see cref="Folds"/> says how many.
/// </summary>
public sealed record MetricSummary(double Mean, double Std, double Min, double Max, int Folds)
{
    public static MetricSummary? Of(IEnumerable<double> values)
    {
        var defined = values.Where(double.IsFinite).ToArray();
        if (defined.Length == 0)
            return null;
        var mean = defined.Average();
        var std = Math.Sqrt(defined.Average(v => (v - mean) * (v - mean)));
        return new MetricSummary(mean, std, defined.Min(), defined.Max(), defined.Length);
    }
}
