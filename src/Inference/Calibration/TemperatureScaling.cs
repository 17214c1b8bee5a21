namespace DarwinGrid.Inference.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017): class probabilities p become softmax(log p / T), with the
/// one T that minimises the log loss on validation records. It changes confidence, never the
/// predicted class.
/// </summary>
public static class TemperatureScaling
{
    private const double MinLogT = -4, MaxLogT = 4;

    public static IReadOnlyList<double> Apply(IReadOnlyList<double> probabilities, double temperature)
    {
        var logits = probabilities.Select(p => Math.Log(Math.Max(p, 1e-300)) / temperature).ToArray();
        var max = logits.Max();
        var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
        var total = weights.Sum();
        return [.. weights.Select(w => w / total)];
    }

    public static double LogLoss(IReadOnlyList<(IReadOnlyList<double> Probabilities, int Actual)> records, double temperature) =>
        records.Average(r => -Math.Log(Math.Max(Apply(r.Probabilities, temperature)[r.Actual], 1e-300)));

    /// <summary>The temperature with the least validation log loss (golden-section search over log T in [-4, 4]).</summary>
    public static double Fit(IReadOnlyList<(IReadOnlyList<double> Probabilities, int Actual)> records)
    {
        if (records.Count == 0) throw new ArgumentException("Temperature scaling needs at least one validation record.", nameof(records));
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double a = MinLogT, b = MaxLogT;
        double c = b - ratio * (b - a), d = a + ratio * (b - a);
        double fc = LogLoss(records, Math.Exp(c)), fd = LogLoss(records, Math.Exp(d));
        while (b - a > 1e-5)
        {
            if (fc < fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - ratio * (b - a);
                fc = LogLoss(records, Math.Exp(c));
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + ratio * (b - a);
                fd = LogLoss(records, Math.Exp(d));
            }
        }
        return Math.Exp((a + b) / 2);
    }
}
