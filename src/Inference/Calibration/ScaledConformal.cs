using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Inference.Calibration;

/// <summary>
/// Split conformal prediction with a normalised score (Lei et al. 2018; conformalised quantiles
/// with a scale, Romano et al. 2019): a record's score is how far its true value lies from the
/// distribution's median in units of the distribution's own spread on that side (the half-widths
/// of its smooth central interval at <see cref="ScaledScore.ScaleLevel"/>, plus a floor so a model
/// sure of one value still gets a finite scale). The ⌈(n+1)·level⌉-th smallest score is the factor:
/// every interval becomes median ± factor · (half-width + floor), which covers a new exchangeable
/// record with probability at least the level, and shrinks over-wide raw intervals as readily as
/// it widens narrow ones. Scores are in units of spread, so tasks can be pooled: a task with too
/// few validation records for its own factor (<see cref="MinimumRecords"/>) takes the factor of all
/// the model's regression tasks' records together instead of "the whole range".
/// </summary>
public static class ScaledConformal
{
    /// <summary>Fewer validation records than this and a task's own ⌈(n+1)·0.9⌉-th score is one of its few largest: it uses the pooled factor.</summary>
    public const int MinimumRecords = 60;

    /// <summary>The score shapes tried: the spread read from the 50% or the 90% interval, with a floor of a multiple of the task's typical spread (small: purely relative; large: nearly an additive margin).</summary>
    public static IReadOnlyList<ScaledScore> Shapes { get; } =
        [.. from level in new[] { 0.5, 0.9 } from multiple in new[] { 0.05, 0.25, 1.0, 4.0, 16.0 } select new ScaledScore(level, multiple)];

    /// <summary>
    /// Fits every task's interval: per task with enough records, the score shape whose conformal
    /// intervals are narrowest on average on a third of its validation records, and its factor
    /// fitted on the other two thirds; tasks with fewer records share the shape and factor fitted
    /// the same way on all tasks' records pooled (each with its own floor).
    /// </summary>
    public static IReadOnlyDictionary<string, IntervalCalibration> Fit(
        IReadOnlyList<(string Task, IReadOnlyList<(NumericDistribution Distribution, double Actual)> Records)> tasks, double level)
    {
        if (!(level is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be in (0, 1).");
        var measured = tasks.Where(t => t.Records.Count > 0).Select(t => new TaskRecords(t.Task, t.Records, TypicalSpread(t.Records))).ToArray();
        var fitted = new Dictionary<string, IntervalCalibration>(StringComparer.Ordinal);
        var pooled = measured.Any(t => t.Records.Count < MinimumRecords) ? Best(measured, level) : default;
        foreach (var task in measured)
        {
            var own = task.Records.Count >= MinimumRecords;
            var (shape, factor) = own ? Best([task], level) : pooled;
            fitted[task.Name] = new IntervalCalibration(level, 0, task.Records.Count, RawCoverage(task.Records, level))
            {
                ScaleLevel = shape.ScaleLevel,
                Floor = shape.FloorMultiple * task.Spread,
                Factor = factor,
                PooledRecords = own ? null : measured.Sum(t => t.Records.Count),
                // A quantity that is never negative (band gaps, strengths) gets no negative lower end.
                LowerBound = task.Records.All(r => r.Actual >= 0) ? 0 : null,
                MedianAbsoluteError = task.Records.Average(r => Math.Abs(r.Distribution.Median - r.Actual)),
            };
        }
        return fitted;
    }

    /// <summary>The conformal factor: the ⌈(n+1)·level⌉-th smallest score, the largest when there are too few.</summary>
    public static double Factor(IEnumerable<double> scores, double level)
    {
        var sorted = scores.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("Conformal calibration needs at least one validation record.", nameof(scores));
        var rank = (int)Math.Ceiling((sorted.Length + 1) * level);
        return sorted[Math.Min(rank, sorted.Length) - 1];
    }

    /// <summary>A record's score: the distance of the truth from the median in units of the spread on its side.</summary>
    public static double Score(NumericDistribution distribution, double actual, double scaleLevel, double floor) =>
        Spread.Of(distribution, scaleLevel).Score(actual, floor);

    public static (double Low, double High) Interval(NumericDistribution distribution, double scaleLevel, double floor, double factor)
    {
        var spread = Spread.Of(distribution, scaleLevel);
        return (spread.Centre - factor * (spread.Below + floor), spread.Centre + factor * (spread.Above + floor));
    }

    /// <summary>
    /// A task's typical spread, the unit of its floor: the median half-width of the records' smooth
    /// 50% intervals; if the model is sure of every record, the mean absolute deviation of the truths from their median; else 1.
    /// </summary>
    public static double TypicalSpread(IReadOnlyList<(NumericDistribution Distribution, double Actual)> records)
    {
        var halfWidths = records.Select(r => Spread.Of(r.Distribution, 0.5)).Select(s => (s.Below + s.Above) / 2).Order().ToArray();
        var median = halfWidths[halfWidths.Length / 2];
        if (median > 0 && double.IsFinite(median)) return median;
        var actuals = records.Select(r => r.Actual).Order().ToArray();
        var centre = actuals[actuals.Length / 2];
        var deviation = actuals.Average(a => Math.Abs(a - centre));
        return deviation > 0 ? deviation : 1;
    }

    /// <summary>
    /// Chooses the shape on every third record and fits its factor on the other two thirds: a factor
    /// fitted on the records that chose the shape would favour shapes whose factor came out low by
    /// chance (measured on synthetic data: 83% instead of 90% coverage), which a held-out factor cannot.
    /// </summary>
    private static (ScaledScore Shape, double Factor) Best(IReadOnlyList<TaskRecords> tasks, double level)
    {
        var all = tasks.SelectMany(t => t.Records.Select((r, i) => (Task: t, r.Distribution, r.Actual, Chooses: i % 3 == 0))).ToArray();
        var choosers = all.Length >= 3 ? all.Where(r => r.Chooses).ToArray() : all;
        var fitters = all.Length >= 3 ? all.Where(r => !r.Chooses).ToArray() : all;
        var shape = Shapes.Select(shape =>
            {
                var spreads = choosers.Select(r => (Spread: Spread.Of(r.Distribution, shape.ScaleLevel), Floor: shape.FloorMultiple * r.Task.Spread, r.Task.Spread, r.Actual)).ToArray();
                var factor = Factor(spreads.Select(r => r.Spread.Score(r.Actual, r.Floor)), level);
                // Widths in units of each task's spread, so a pool is not ruled by the task with the largest numbers.
                var width = spreads.Average(r => factor * (r.Spread.Below + r.Spread.Above + 2 * r.Floor) / r.Item3);
                return (Shape: shape, Width: width);
            })
            .Where(c => double.IsFinite(c.Width))
            .OrderBy(c => c.Width)
            .Select(c => c.Shape)
            .DefaultIfEmpty(Shapes[^1])
            .First();
        return (shape, Factor(fitters.Select(r => ScaledConformal.Score(r.Distribution, r.Actual, shape.ScaleLevel, shape.FloorMultiple * r.Task.Spread)), level));
    }

    private static double RawCoverage(IReadOnlyList<(NumericDistribution Distribution, double Actual)> records, double level) =>
        SplitConformal.Coverage(records.Select(r => r.Distribution.CentralInterval(level) is var (low, high) ? (low, high, r.Actual) : default));

    private sealed record TaskRecords(string Name, IReadOnlyList<(NumericDistribution Distribution, double Actual)> Records, double Spread);

    /// <summary>The median and the distances to the smooth central interval's ends.</summary>
    private readonly record struct Spread(double Centre, double Below, double Above)
    {
        public static Spread Of(NumericDistribution distribution, double level)
        {
            var centre = SmoothQuantiles.Quantile(distribution, 0.5);
            var (low, high) = SmoothQuantiles.CentralInterval(distribution, level);
            return new Spread(centre, centre - low, high - centre);
        }

        public double Score(double actual, double floor) => actual < Centre ? (Centre - actual) / (Below + floor) : (actual - Centre) / (Above + floor);
    }
}

/// <summary>A shape of the normalised score: the level of the central interval whose half-widths are the scale, and the floor in units of the task's typical spread.</summary>
public sealed record ScaledScore(double ScaleLevel, double FloorMultiple);
