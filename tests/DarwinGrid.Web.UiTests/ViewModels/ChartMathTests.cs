using DarwinGrid.Web.Charts;

namespace DarwinGrid.Web.UiTests.ViewModels;

public sealed class ChartMathTests
{
    [Theory]
    [InlineData(0.13, 3.87)]
    [InlineData(-212.5, 1490)]
    [InlineData(0.5, 0.5)]
    [InlineData(1e-4, 3e-4)]
    public void NiceAxesCoverTheDataWithRoundStepsAndAHandfulOfTicks(double low, double high)
    {
        var axis = AxisScale.Nice(low, high);

        Assert.True(axis.Min <= low && axis.Max >= high, $"[{axis.Min}, {axis.Max}] does not cover [{low}, {high}]");
        var mantissa = axis.Step / Math.Pow(10, Math.Floor(Math.Log10(axis.Step)));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1, 2, 2.5, 5, 10 });
        Assert.InRange(axis.Ticks().Count(), 2, 9);
    }

    [Fact]
    public void HistogramBinsHoldEveryValueOnceInTheBinThatContainsIt()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 500).Select(_ => random.NextDouble() * 4 - 1).ToArray();

        var histogram = Histogram.Of(values);

        Assert.Equal(500, histogram.Total);
        Assert.Equal(500, histogram.Bins.Sum(b => b.Count));
        Assert.Equal(22, histogram.Bins.Count); // round(sqrt(500))
        foreach (var bin in histogram.Bins)
        {
            var inside = values.Count(v => v >= bin.Low && (v < bin.High || (bin == histogram.Bins[^1] && v <= bin.High)));
            Assert.Equal(inside, bin.Count);
        }
    }

    [Fact]
    public void WildOutliersDoNotFlattenAHistogramTheyAreCountedInTheEndBins()
    {
        var values = Enumerable.Range(0, 200).Select(i => i / 100.0).Append(4e43).Append(-3400).ToArray();

        var histogram = Histogram.Of(values);

        Assert.Equal(202, histogram.Bins.Sum(b => b.Count));
        Assert.Equal(2, histogram.Outliers);
        Assert.Equal(1.99, histogram.Bins[^1].High);
        Assert.Equal(0, histogram.Bins[0].Low);
    }

    [Fact]
    public void HistogramOfNothingIsEmptyAndOfOneValueIsOneBin()
    {
        Assert.Equal(0, Histogram.Of([]).Total);
        var single = Histogram.Of([1.5, 1.5, 1.5]);
        Assert.Equal(3, Assert.Single(single.Bins).Count);
    }

    [Theory]
    [InlineData(true, true, null)]
    [InlineData(false, true, null)]
    [InlineData(true, false, 1.4)]
    public void ParetoFrontIsExactlyThePointsNoOtherPointDominates(bool maximizeX, bool maximizeY, double? targetY)
    {
        var random = new Random(11);
        // Rounded coordinates make ties, which the definition must handle too.
        var points = Enumerable.Range(0, 300).Select(i => new ScatterPoint($"p{i}", Math.Round(random.NextDouble() * 3, 1), Math.Round(random.NextDouble() * 3, 1))).ToList();
        var x = new AxisGoal(maximizeX);
        var y = new AxisGoal(maximizeY, targetY);

        var front = ParetoFront.Of(points, x, y);

        var expected = Enumerable.Range(0, points.Count).Where(i => !points.Any(q =>
            x.Utility(q.X) >= x.Utility(points[i].X) && y.Utility(q.Y) >= y.Utility(points[i].Y)
            && (x.Utility(q.X) > x.Utility(points[i].X) || y.Utility(q.Y) > y.Utility(points[i].Y)))).ToHashSet();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(i => i), front.OrderBy(i => i));
        Assert.Equal(front.Select(i => points[i].X).Order(), front.Select(i => points[i].X));
    }
}
