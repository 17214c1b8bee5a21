using DarwinGrid.Domain.Predictions;
using DarwinGrid.Inference.Calibration;

namespace DarwinGrid.Inference.Tests.Calibration;

/// <summary>Split-conformal intervals and temperature scaling on synthetic data with a known answer.</summary>
public sealed class CalibrationMathTests
{
    [Fact]
    public void ConformalMarginFittedOnOneHalfCoversAbout90PercentOfTheOtherHalf()
    {
        // A model whose raw intervals are far too narrow: y = m + N(0, 1), interval m ± 0.3.
        var random = new Random(5);
        (double Low, double High, double Actual) Record()
        {
            var m = random.NextDouble() * 10;
            return (m - 0.3, m + 0.3, m + Normal(random));
        }
        var fit = Enumerable.Range(0, 1000).Select(_ => Record()).ToArray();
        var test = Enumerable.Range(0, 4000).Select(_ => Record()).ToArray();

        var margin = SplitConformal.Margin(fit, 0.9);

        Assert.InRange(SplitConformal.Coverage(test), 0.15, 0.3);
        var covered = SplitConformal.Coverage(test.Select(r => (r.Low - margin, r.High + margin, r.Actual)));
        Assert.InRange(covered, 0.85, 0.95);
        // N(0,1)'s 90% half-width is 1.645: the margin restores it.
        Assert.InRange(margin + 0.3, 1.5, 1.8);
    }

    [Fact]
    public void ConformalMarginNarrowsIntervalsThatAreTooWide()
    {
        var random = new Random(9);
        var records = Enumerable.Range(0, 2000).Select(_ =>
        {
            var m = random.NextDouble();
            return (m - 5.0, m + 5.0, m + Normal(random));
        }).ToArray();
        var margin = SplitConformal.Margin(records, 0.9);
        Assert.True(margin < -3, $"margin {margin}");
    }

    [Fact]
    public void ConformalSampleLevelFittedOnOneHalfCoversAbout90PercentOfTheOtherHalf()
    {
        // The model's 17 samples spread as N(m, 1), the truth only as N(m, 0.5): its own 90% interval is too wide.
        var random = new Random(7);
        (NumericDistribution Distribution, double Actual) Record(double truthSpread)
        {
            var m = random.NextDouble() * 10;
            var samples = Enumerable.Range(0, 17).Select(_ => (m + Normal(random), 1.0)).ToArray();
            return (NumericDistribution.FromWeighted(samples), m + truthSpread * Normal(random));
        }
        var fit = Enumerable.Range(0, 1000).Select(_ => Record(0.5)).ToArray();
        var test = Enumerable.Range(0, 4000).Select(_ => Record(0.5)).ToArray();

        var level = SplitConformal.SampleLevel(fit, 0.9);

        Assert.NotNull(level);
        Assert.InRange(level.Value, 0.3, 0.8);
        var calibration = new IntervalCalibration(0.9, 0, fit.Length, 0) { SampleLevel = level };
        var covered = test.Count(r => calibration.Apply(r.Distribution, r.Distribution.Median) is var (low, high) && low <= r.Actual && r.Actual <= high);
        Assert.InRange(covered / (double)test.Length, 0.85, 0.95);
        // A model far too sure of itself: not even the samples' whole range holds 90% of the truths.
        Assert.Null(SplitConformal.SampleLevel(Enumerable.Range(0, 500).Select(_ => Record(5)).ToArray(), 0.9));
    }

    [Fact]
    public void CalibratedIntervalNeverExcludesTheEstimate()
    {
        var distribution = NumericDistribution.FromWeighted([(0.0, 0.5), (1.0, 0.3), (2.0, 0.2)]);
        var (low, high) = new IntervalCalibration(0.9, -10, 100, 0.99).Apply(distribution, distribution.Median);
        Assert.Equal((0.0, 0.0), (low, high));
        Assert.Equal((-0.5, 2.5), new IntervalCalibration(0.9, 0.5, 100, 0.5).Apply(distribution, distribution.Median));
    }

    [Fact]
    public void TemperatureFitRecoversTheTemperatureThatMadeTheProbabilitiesOverconfident()
    {
        // True probabilities softmax(z); the model reports softmax(z / 0.5), twice too sharp, so the fit must find T = 2.
        var random = new Random(3);
        var records = new List<(IReadOnlyList<double>, int)>();
        for (var i = 0; i < 4000; i++)
        {
            double[] z = [Normal(random), Normal(random), Normal(random)];
            var truth = Softmax(z, 1);
            var actual = Sample(random, truth);
            records.Add((Softmax(z, 0.5), actual));
        }

        var temperature = TemperatureScaling.Fit(records);

        Assert.InRange(temperature, 1.8, 2.2);
        Assert.True(TemperatureScaling.LogLoss(records, temperature) < TemperatureScaling.LogLoss(records, 1));
    }

    [Fact]
    public void TemperatureScalingKeepsThePredictedClass()
    {
        IReadOnlyList<double> p = [0.2, 0.7, 0.1];
        var scaled = TemperatureScaling.Apply(p, 3);
        Assert.Equal(1, scaled.ToList().IndexOf(scaled.Max()));
        Assert.Equal(1.0, scaled.Sum(), 12);
        Assert.True(scaled[1] < 0.7);
    }

    [Fact]
    public void CalibrationSurvivesItsJsonRoundTripAndBadJsonIsRefusedByName()
    {
        var calibration = new ModelCalibration
        {
            FittedOn = "validation records",
            Intervals = new Dictionary<string, IntervalCalibration> { ["matbench_expt_gap"] = new(0.9, 0.12, 207, 0.8) },
            Temperatures = new Dictionary<string, TemperatureCalibration> { ["matbench_is_metal"] = new(1.3, 221, 0.4, 0.35) },
        };
        var back = ModelCalibration.FromJson(calibration.ToJson());
        Assert.Equal(calibration.IntervalFor("matbench_expt_gap"), back.IntervalFor("matbench_expt_gap"));
        Assert.Equal(calibration.TemperatureFor("matbench_is_metal"), back.TemperatureFor("matbench_is_metal"));
        Assert.Null(back.IntervalFor("matbench_steels"));
        var error = Assert.Throws<InvalidDataException>(() => ModelCalibration.FromJson("{\"schema_version\": 7}"));
        Assert.Contains("darwingrid.calibration", error.Message);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double[] Softmax(double[] z, double temperature)
    {
        var e = z.Select(v => Math.Exp(v / temperature)).ToArray();
        return [.. e.Select(v => v / e.Sum())];
    }

    private static int Sample(Random random, double[] p)
    {
        var u = random.NextDouble();
        for (var i = 0; i < p.Length; i++)
            if ((u -= p[i]) <= 0) return i;
        return p.Length - 1;
    }
}
