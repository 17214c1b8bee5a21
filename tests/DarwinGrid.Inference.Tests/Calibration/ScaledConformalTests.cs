using DarwinGrid.Domain.Predictions;
using DarwinGrid.Inference.Calibration;

namespace DarwinGrid.Inference.Tests.Calibration;

/// <summary>The normalised split-conformal intervals and smooth quantiles on synthetic data with a known answer.</summary>
public sealed class ScaledConformalTests
{
    [Fact]
    public void ScaledFactorShrinksAnOverWideRawIntervalAndCoversAboutNinetyPercentOfNewRecords()
    {
        // 17 samples spread as N(m, s) with s different per record; the truth only as N(m, s/2): the raw 90% interval holds ~99%.
        var random = new Random(11);
        var fit = Records(random, 400, truthSpread: 0.5);
        var test = Records(random, 4000, truthSpread: 0.5);

        var calibration = ScaledConformal.Fit([("task", fit)], 0.9)["task"];

        Assert.NotNull(calibration.Factor);
        Assert.Null(calibration.PooledRecords);
        Assert.Null(calibration.LowerBound); // the synthetic truths go below zero
        Assert.InRange(Coverage(test.Select(r => r.Distribution.CentralInterval(0.9) is var (l, h) ? (l, h, r.Actual) : default)), 0.97, 1);
        Assert.InRange(Coverage(test.Select(r => calibration.Apply(r.Distribution, r.Distribution.Median) is var (l, h) ? (l, h, r.Actual) : default)), 0.85, 0.95);
        Assert.True(MeanWidth(test, calibration) < 0.7 * test.Average(r => r.Distribution.CentralInterval(0.9) is var (l, h) ? h - l : 0),
            "the calibrated intervals should be much narrower than the raw ones");
    }

    [Fact]
    public void ScaledFactorWidensTooNarrowIntervalsToAboutNinetyPercent()
    {
        var random = new Random(12);
        var fit = Records(random, 400, truthSpread: 3);
        var test = Records(random, 4000, truthSpread: 3);

        var calibration = ScaledConformal.Fit([("task", fit)], 0.9)["task"];

        Assert.InRange(Coverage(test.Select(r => r.Distribution.CentralInterval(0.9) is var (l, h) ? (l, h, r.Actual) : default)), 0.3, 0.7);
        Assert.InRange(Coverage(test.Select(r => calibration.Apply(r.Distribution, r.Distribution.Median) is var (l, h) ? (l, h, r.Actual) : default)), 0.85, 0.95);
    }

    [Fact]
    public void TaskWithTooFewRecordsTakesThePooledFactorInsteadOfItsLargestScore()
    {
        // A large task and an 11-record task in other units (x 1000) whose model is equally over-wide: the small one pools.
        var random = new Random(13);
        var large = Records(random, 300, truthSpread: 0.5);
        var small = Records(random, 11, truthSpread: 0.5, unit: 1000);
        var smallTest = Records(random, 3000, truthSpread: 0.5, unit: 1000);

        var fitted = ScaledConformal.Fit([("large", large), ("small", small)], 0.9);

        Assert.Null(fitted["large"].PooledRecords);
        Assert.Equal(311, fitted["small"].PooledRecords);
        Assert.Equal(11, fitted["small"].Records);
        Assert.InRange(Coverage(smallTest.Select(r => fitted["small"].Apply(r.Distribution, r.Distribution.Median) is var (l, h) ? (l, h, r.Actual) : default)), 0.85, 0.95);
        // Its interval is in its own units: the floor comes from its own spread, not the large task's.
        Assert.True(fitted["small"].Floor > 100 * fitted["large"].Floor);
    }

    [Fact]
    public void ModelSureOfOneValueStillGetsAnIntervalFromTheFloor()
    {
        // Half the records: every sample says 0 and the truth is 0 (metals); the rest spread around 2.
        var random = new Random(14);
        (NumericDistribution, double) Record(int i) => i % 2 == 0
            ? (NumericDistribution.PointMass(0), 0.0)
            : (Samples(random, 2, 0.5), 2 + 0.5 * Normal(random));
        var fit = Enumerable.Range(0, 400).Select(Record).ToArray();
        var test = Enumerable.Range(0, 4000).Select(Record).ToArray();

        var calibration = ScaledConformal.Fit([("gap", fit)], 0.9)["gap"];

        Assert.True(calibration.Floor > 0);
        Assert.Equal(0, calibration.LowerBound);
        Assert.All(test, r => Assert.True(calibration.Apply(r.Item1, r.Item1.Median).Low >= 0));
        var (low, high) = calibration.Apply(NumericDistribution.PointMass(0), 0);
        Assert.InRange(high - low, 1e-6, 1.0);
        Assert.InRange(Coverage(test.Select(r => calibration.Apply(r.Item1, r.Item1.Median) is var (lo, hi) ? (lo, hi, r.Item2) : default)), 0.85, 0.97);
    }

    [Fact]
    public void SmoothQuantilesInterpolateBetweenSamplesAndStayFlatOnRepeatedValues()
    {
        var samples = NumericDistribution.FromWeighted([.. Enumerable.Range(0, 4).Select(i => ((double)i, 1.0))]);
        // Knots at 1/8, 3/8, 5/8, 7/8.
        Assert.Equal(0.0, SmoothQuantiles.Quantile(samples, 0.05));
        Assert.Equal(0.5, SmoothQuantiles.Quantile(samples, 0.25), 12);
        Assert.Equal(1.5, SmoothQuantiles.Quantile(samples, 0.5), 12);
        Assert.Equal(3.0, SmoothQuantiles.Quantile(samples, 0.95));
        var metals = NumericDistribution.FromWeighted([(0.0, 3.0), (2.0, 1.0)]);
        Assert.Equal(0.0, SmoothQuantiles.Quantile(metals, 0.5));
        Assert.Equal((0.0, 2.0), SmoothQuantiles.CentralInterval(metals, 0.9));
    }

    [Fact]
    public void ScaledCalibrationSurvivesItsJsonRoundTrip()
    {
        var calibration = new ModelCalibration
        {
            Intervals = new Dictionary<string, IntervalCalibration>
            {
                ["matbench_steels"] = new(0.9, 0, 11, 0.5) { ScaleLevel = 0.5, Floor = 12.5, Factor = 1.7, PooledRecords = 143 },
            },
        };
        Assert.Equal(calibration.IntervalFor("matbench_steels"), ModelCalibration.FromJson(calibration.ToJson()).IntervalFor("matbench_steels"));
    }

    private static (NumericDistribution Distribution, double Actual)[] Records(Random random, int count, double truthSpread, double unit = 1) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var m = unit * random.NextDouble() * 10;
            var s = unit * (0.2 + 2 * random.NextDouble());
            return (Samples(random, m, s), m + truthSpread * s * Normal(random));
        })];

    private static NumericDistribution Samples(Random random, double mean, double spread) =>
        NumericDistribution.FromWeighted([.. Enumerable.Range(0, 17).Select(_ => (mean + spread * Normal(random), 1.0))]);

    private static double Coverage(IEnumerable<(double Low, double High, double Actual)> records) => SplitConformal.Coverage(records);

    private static double MeanWidth(IEnumerable<(NumericDistribution Distribution, double Actual)> records, IntervalCalibration calibration) =>
        records.Average(r => calibration.Apply(r.Distribution, r.Distribution.Median) is var (l, h) ? h - l : 0);

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
